import * as tf from "@tensorflow/tfjs";
import { computeArrays } from "./kernel-arrays";

/** Inputs dy, y (the ReLU's output); output dx = y > 0 ? dy : 0. */
export const RELU_GRAD = "FaceloopReluGrad";

/**
 * ReLU's gradient as one pass. tfjs computes it as dy * cast(step(x)), three kernels and two temporaries the size of
 * the activation, for every ReLU of every step. Keyed on the output (positive exactly where the input is), which the
 * layer keeps anyway. The cpu and wasm bodies are a plain loop; lib/tf/native registers oneDNN's for onednn.
 */
export const RELU_GRAD_KERNELS: tf.KernelConfig[] = ["cpu", "wasm"].map((backendName) => ({
  kernelName: RELU_GRAD,
  backendName,
  kernelFunc: ({ inputs, backend }) => {
    const { dy, y } = inputs as { dy: tf.TensorInfo; y: tf.TensorInfo };
    return computeArrays(backend, [dy, y], [y.shape], ([dx], [dys, ys]) => {
      for (let i = 0; i < ys.length; i++) dx[i] = ys[i] > 0 ? dys[i] : 0;
    })[0];
  },
}));

/** Registers the kernels and makes Relu's gradient use them. Process-wide, so entry points call it (selectBackend). */
export function installReluGradient(): void {
  for (const config of RELU_GRAD_KERNELS) {
    if (tf.getKernel(config.kernelName, config.backendName) == null) tf.registerKernel(config);
  }
  tf.registerGradient({
    kernelName: "Relu",
    outputsToSave: [true],
    gradFunc: (dy, saved) => {
      const [y] = saved;
      return { x: () => tf.engine().runKernel(RELU_GRAD, { dy: dy as tf.Tensor, y }) as tf.Tensor };
    },
  });
}
