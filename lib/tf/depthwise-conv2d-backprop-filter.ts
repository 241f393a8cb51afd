import * as tf from "@tensorflow/tfjs";
import { spatialWindow } from "./spatial-window";
import { WasmOps } from "./wasm-ops";

/**
 * DepthwiseConv2dNativeBackpropFilter for the wasm backend as one depthwise convolution: x seen as a single image
 * [1, H, W, N*C] convolved with dy seen as an [Ho, Wo, N*C, m] filter (dilated by the stride, strided by the
 * dilation) gives every batch item's [kh, kw] contribution per channel; a sum over the batch finishes it.
 */
export const depthwiseConv2dNativeBackpropFilterWasm: tf.KernelConfig = {
  kernelName: "DepthwiseConv2dNativeBackpropFilter",
  backendName: "wasm",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const { strides, dilations, pad, dimRoundingMode, filterShape } = attrs as unknown as {
      strides: number | [number, number];
      dilations: number | [number, number];
      pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
      dimRoundingMode?: "floor" | "round" | "ceil";
      filterShape: [number, number, number, number];
    };
    const [kh, kw, channels, multiplier] = filterShape;
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filterShape,
      strides,
      dilations ?? 1,
      pad,
      dimRoundingMode,
      true,
    );
    const [n, height, width] = x.shape;
    const ops = new WasmOps(backend);
    const xT = ops.transpose(x, [1, 2, 0, 3]);
    const image = ops.view(xT, [1, height, width, n * channels]);
    const dyT = ops.transpose(dy, [1, 2, 0, 3]);
    const kernel = ops.view(dyT, [info.outHeight, info.outWidth, n * channels, multiplier]);
    const rows = (kh - 1) * info.dilationHeight + (info.outHeight - 1) * info.strideHeight + 1;
    const cols = (kw - 1) * info.dilationWidth + (info.outWidth - 1) * info.strideWidth + 1;
    const win = spatialWindow(ops, image, -info.padInfo.top, rows, -info.padInfo.left, cols);
    const perItem = ops.depthwiseConv2d(
      win.x,
      kernel,
      [info.dilationHeight, info.dilationWidth],
      [info.strideHeight, info.strideWidth],
      win.pad,
    );
    ops.release(xT, dyT);
    if (win.cropped) ops.release(win.x);
    const summed = ops.sum(ops.view(perItem, [kh, kw, n, channels * multiplier]), [2]);
    ops.release(perItem);
    return ops.view(summed, filterShape);
  },
};
