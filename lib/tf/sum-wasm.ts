import * as tf from "@tensorflow/tfjs";
import { WasmOps } from "./wasm-ops";

/**
 * Sum for wasm with a fast path for the reduction of every axis but the last (bias and batch-norm gradients): one
 * XNNPACK average pool instead of the shipped kernel's transpose of the whole tensor. Everything else goes to the
 * shipped kernel.
 */
export function sumWasm(shipped: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: "Sum",
    backendName: "wasm",
    setupFunc: shipped.setupFunc,
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean };
      const rank = x.shape.length;
      const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
      const allButLast = rank >= 2 && axes.length === rank - 1 && axes.every((a, i) => a === i);
      if (!allButLast || x.dtype !== "float32") return shipped.kernelFunc(args);
      const ops = new WasmOps(args.backend);
      const channels = x.shape[rank - 1];
      const meanInfo = ops.channelMean(x);
      const sums = ops.read(meanInfo);
      ops.release(meanInfo);
      const count = tf.util.sizeFromShape(x.shape) / channels;
      for (let c = 0; c < channels; c++) sums[c] *= count;
      return ops.fromValues(keepDims ? [...Array(rank - 1).fill(1), channels] : [channels], sums);
    },
  };
}
