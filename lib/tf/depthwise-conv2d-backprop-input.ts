import * as tf from "@tensorflow/tfjs";
import { inputGradientWindow } from "./spatial-window";
import { WasmOps } from "./wasm-ops";

/**
 * DepthwiseConv2dNativeBackpropInput for the wasm backend: a depthwise convolution of dy (zeros inserted for a stride)
 * with the filter rotated by 180 degrees, run over all C*m output channels, then summed over the channel multiplier m.
 */
export const depthwiseConv2dNativeBackpropInputWasm: tf.KernelConfig = {
  kernelName: "DepthwiseConv2dNativeBackpropInput",
  backendName: "wasm",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const { strides, dilations, pad, dimRoundingMode, inputShape } = attrs as unknown as {
      strides: number | [number, number];
      dilations: number | [number, number];
      pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
      dimRoundingMode?: "floor" | "round" | "ceil";
      inputShape: [number, number, number, number];
    };
    const [kh, kw, channels, multiplier] = filter.shape;
    const info = tf.backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as [number, number, number, number],
      strides,
      dilations ?? 1,
      pad,
      dimRoundingMode,
      true,
    );
    const ops = new WasmOps(backend);
    const reversed = ops.reverse(filter, [0, 1]);
    const rotated = ops.view(reversed, [kh, kw, channels * multiplier, 1]);
    const win = inputGradientWindow(ops, dy, info);
    const perChannel = ops.depthwiseConv2d(win.x, rotated, [1, 1], [info.dilationHeight, info.dilationWidth], win.pad);
    ops.release(reversed);
    win.release();
    if (multiplier === 1) return perChannel;
    const [n, h, w] = perChannel.shape;
    const dx = ops.sum(ops.view(perChannel, [n, h, w, channels, multiplier]), [4]);
    ops.release(perChannel);
    return dx;
  },
};
