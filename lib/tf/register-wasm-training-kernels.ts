import * as tf from "@tensorflow/tfjs";
import { conv2DBackpropFilterWasm } from "./conv2d-backprop-filter";
import { conv2DBackpropInputWasm } from "./conv2d-backprop-input";
import { depthwiseConv2dNativeBackpropFilterWasm } from "./depthwise-conv2d-backprop-filter";
import { depthwiseConv2dNativeBackpropInputWasm } from "./depthwise-conv2d-backprop-input";
import { fusedBatchNormWasm } from "./fused-batch-norm-wasm";
import { castWasm, identityWasm } from "./buffer-sharing-kernels-wasm";
import { maxPoolGradWasm } from "./max-pool-grad";
import { sumWasm } from "./sum-wasm";

/** Gradient kernels the wasm backend lacks (or ships as slow scalar loops), built on its XNNPACK forward kernels. */
export const WASM_TRAINING_KERNELS: readonly tf.KernelConfig[] = [
  conv2DBackpropFilterWasm,
  conv2DBackpropInputWasm,
  depthwiseConv2dNativeBackpropFilterWasm,
  depthwiseConv2dNativeBackpropInputWasm,
  maxPoolGradWasm,
];

/** Faster versions of shipped kernels for the cases training hits, handing the rest to the shipped kernel. */
const WASM_KERNEL_WRAPPERS: ReadonlyArray<[string, (shipped: tf.KernelConfig) => tf.KernelConfig]> = [
  ["FusedBatchNorm", fusedBatchNormWasm],
  ["Sum", sumWasm],
  ["Identity", identityWasm],
  ["Cast", castWasm],
];

const WRAPPED = new WeakSet<tf.KernelConfig>();

/** Registers them, replacing any shipped version; safe to call more than once. Returns the kernel names. */
export function registerWasmTrainingKernels(): string[] {
  for (const config of WASM_TRAINING_KERNELS) {
    if (tf.getKernel(config.kernelName, "wasm") != null) tf.unregisterKernel(config.kernelName, "wasm");
    tf.registerKernel(config);
  }
  const names = WASM_TRAINING_KERNELS.map((config) => config.kernelName);
  for (const [kernelName, wrap] of WASM_KERNEL_WRAPPERS) {
    const shipped = tf.getKernel(kernelName, "wasm");
    if (shipped == null) throw new Error(`wasm backend lacks ${kernelName}`);
    names.push(kernelName);
    if (WRAPPED.has(shipped)) continue;
    const wrapper = wrap(shipped);
    WRAPPED.add(wrapper);
    tf.unregisterKernel(kernelName, "wasm");
    tf.registerKernel(wrapper);
  }
  return names;
}
