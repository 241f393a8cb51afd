import type * as tf from "@tensorflow/tfjs";
import type { WasmOps } from "./wasm-ops";

/**
 * Inserts stride - 1 zeros after every row and column of an NHWC tensor ([N, H*sh, W*sw, C]), turning a strided
 * convolution's gradient into a stride-1 one. Returns the input itself when both strides are 1.
 */
export function dilateSpatial(
  ops: WasmOps,
  x: tf.TensorInfo,
  strideHeight: number,
  strideWidth: number,
): tf.TensorInfo {
  if (strideHeight === 1 && strideWidth === 1) return x;
  const [n, h, w, c] = x.shape;
  const spread = ops.pad(ops.view(x, [n, h, 1, w, 1, c]), [
    [0, 0],
    [0, 0],
    [0, strideHeight - 1],
    [0, 0],
    [0, strideWidth - 1],
    [0, 0],
  ]);
  return ops.view(spread, [n, h * strideHeight, w * strideWidth, c]);
}
