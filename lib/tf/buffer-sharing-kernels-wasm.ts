import * as tf from "@tensorflow/tfjs";

/**
 * Identity for wasm that shares the input's memory (one more reference) instead of copying it, as the cpu and webgl
 * backends do. Tensors are immutable, and the wasm backend counts references per buffer (its Reshape shares them
 * too). It matters for training: recording a step for its gradients clones every tensor the backward pass needs,
 * and the shipped kernel copied each one (785 copies, 6 % of a ResNet34 step on the oneDNN kernels). Strings go to
 * the shipped kernel.
 */
export function identityWasm(shipped: tf.KernelConfig): tf.KernelConfig {
  return sharingKernel(shipped, (x) => x.dtype !== "string");
}

/**
 * Cast for wasm that shares the input's memory when the dtype does not change (gradients cast float32 to float32:
 * Multiply's twice per broadcast multiply, Identity's once, a copy each in the shipped kernel). Other casts go to it.
 */
export function castWasm(shipped: tf.KernelConfig): tf.KernelConfig {
  return sharingKernel(shipped, (x, attrs) => x.dtype === attrs.dtype && x.dtype !== "string");
}

/** The shipped kernel, except that where `shares` says so the output is the input's buffer with one more reference. */
function sharingKernel(
  shipped: tf.KernelConfig,
  shares: (x: tf.TensorInfo, attrs: { dtype?: tf.DataType }) => boolean,
): tf.KernelConfig {
  return {
    ...shipped,
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      if (!shares(x, (args.attrs ?? {}) as { dtype?: tf.DataType })) return shipped.kernelFunc(args);
      (args.backend as unknown as { incRef(dataId: tf.DataId): void }).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  };
}
