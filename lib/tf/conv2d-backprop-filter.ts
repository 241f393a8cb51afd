import * as tf from "@tensorflow/tfjs";
import { fastTranspose } from "./fast-transpose";
import { spatialWindow } from "./spatial-window";
import { WasmOps } from "./wasm-ops";

/**
 * Conv2DBackpropFilter for the wasm backend (which ships none), as one forward convolution so XNNPACK does the work:
 * dW[a,b,ci,co] = sum over n,i,j of x[n, i*s + a*d - pad, ., ci] * dy[n,i,j,co] is a convolution of x seen as
 * [Ci, H, W, N] (batch Ci, channels N) with dy seen as an [Ho, Wo, N, Co] filter, dilated by the stride and strided
 * by the dilation, which yields [Ci, kh, kw, Co].
 */
export const conv2DBackpropFilterWasm: tf.KernelConfig = {
  kernelName: "Conv2DBackpropFilter",
  backendName: "wasm",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape, dilations } = attrs as unknown as {
      strides: number | [number, number];
      pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
      dataFormat: "NHWC" | "NCHW";
      dimRoundingMode?: "floor" | "round" | "ceil";
      filterShape: [number, number, number, number];
      dilations?: number | [number, number];
    };
    if (dataFormat === "NCHW") throw new Error("wasm Conv2DBackpropFilter supports NHWC only");
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filterShape,
      strides,
      dilations ?? 1,
      pad,
      dimRoundingMode,
    );
    const ops = new WasmOps(backend);
    const xT = fastTranspose(ops, backend, x, [3, 1, 2, 0]);
    const dyT = ops.transpose(dy, [1, 2, 0, 3]);
    const rows = (info.filterHeight - 1) * info.dilationHeight + (info.outHeight - 1) * info.strideHeight + 1;
    const cols = (info.filterWidth - 1) * info.dilationWidth + (info.outWidth - 1) * info.strideWidth + 1;
    const win = spatialWindow(ops, xT, -info.padInfo.top, rows, -info.padInfo.left, cols);
    const out = ops.conv2d(
      win.x,
      dyT,
      [info.dilationHeight, info.dilationWidth],
      [info.strideHeight, info.strideWidth],
      win.pad,
    );
    ops.release(xT, dyT);
    if (win.cropped) ops.release(win.x);
    const dw = ops.transpose(out, [1, 2, 0, 3]);
    ops.release(out);
    return dw;
  },
};
