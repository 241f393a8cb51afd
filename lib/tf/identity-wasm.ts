import * as tf from "@tensorflow/tfjs";

/**
 * Identity for wasm that shares the input's memory (one more reference) instead of copying it, as the cpu and webgl
 * backends do. Tensors are immutable, and the wasm backend counts references per buffer (its Reshape shares them
 * too). It matters for training: recording a step for its gradients clones every tensor the backward pass needs,
 * and the shipped kernel copied each one (785 copies, 6 % of a ResNet34 step on the oneDNN kernels). Strings go to
 * the shipped kernel.
 */
export function identityWasm(shipped: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: "Identity",
    backendName: "wasm",
    setupFunc: shipped.setupFunc,
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      if (x.dtype === "string") return shipped.kernelFunc(args);
      (args.backend as unknown as { incRef(dataId: tf.DataId): void }).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  };
}
