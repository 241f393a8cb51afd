import * as tf from "@tensorflow/tfjs";
import { inputGradientWindow } from "./spatial-window";
import { WasmOps } from "./wasm-ops";

/**
 * Conv2DBackpropInput for the wasm backend as one XNNPACK forward convolution. The shipped kernel is a scalar C++
 * loop. dx is dy (zeros inserted between rows and columns for a stride) convolved with the filter rotated by 180
 * degrees and its channel axes swapped.
 */
export const conv2DBackpropInputWasm: tf.KernelConfig = {
  kernelName: "Conv2DBackpropInput",
  backendName: "wasm",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape, dilations } = attrs as unknown as {
      strides: number | [number, number];
      pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
      dataFormat: "NHWC" | "NCHW";
      dimRoundingMode?: "floor" | "round" | "ceil";
      inputShape: [number, number, number, number];
      dilations?: number | [number, number];
    };
    if (dataFormat === "NCHW") throw new Error("wasm Conv2DBackpropInput supports NHWC only");
    const info = tf.backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as [number, number, number, number],
      strides,
      dilations ?? 1,
      pad,
      dimRoundingMode,
    );
    const ops = new WasmOps(backend);
    const reversed = ops.reverse(filter, [0, 1]);
    const rotated = ops.transpose(reversed, [0, 1, 3, 2]);
    ops.release(reversed);
    const win = inputGradientWindow(ops, dy, info);
    const dx = ops.conv2d(win.x, rotated, [1, 1], [info.dilationHeight, info.dilationWidth], win.pad);
    ops.release(rotated);
    win.release();
    return dx;
  },
};
