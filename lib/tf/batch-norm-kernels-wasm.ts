import * as tf from "@tensorflow/tfjs";
import { BATCH_NORM_GRAD, BATCH_NORM_STATS } from "./batch-norm-kernel-names";
import { WasmOps } from "./wasm-ops";

/**
 * The batch-norm kernels for wasm, from XNNPACK element-wise kernels (~0.5 ns per element) and whole-tensor average
 * pools as per-channel reductions; plain JavaScript loops ran 3-4x slower.
 */
export const BATCH_NORM_WASM_KERNELS: tf.KernelConfig[] = [
  {
    kernelName: BATCH_NORM_STATS,
    backendName: "wasm",
    kernelFunc: ({ inputs, backend }) => {
      const { x } = inputs as { x: tf.TensorInfo };
      const ops = new WasmOps(backend);
      const mean = ops.channelMean(x);
      const squares = ops.squaredDifference(x, mean);
      const variance = ops.channelMean(squares);
      ops.release(squares);
      return [mean, variance];
    },
  },
  {
    kernelName: BATCH_NORM_GRAD,
    backendName: "wasm",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { dy, x, mean, variance, gamma } = inputs as Record<string, tf.TensorInfo>;
      const epsilon = (attrs as { epsilon: number }).epsilon;
      const channels = x.shape[x.shape.length - 1];
      const ops = new WasmOps(backend);
      const centered = ops.sub(x, mean);
      const products = ops.mul(dy, centered);
      const meanDyCenteredInfo = ops.channelMean(products);
      const meanDyInfo = ops.channelMean(dy);
      ops.release(products);
      const meanDyCentered = ops.read(meanDyCenteredInfo);
      const meanDy = ops.read(meanDyInfo);
      ops.release(meanDyCenteredInfo, meanDyInfo);
      const variances = ops.read(variance);
      const gammas = ops.read(gamma);
      const count = tf.util.sizeFromShape(x.shape) / channels;

      // dx = gamma*rstd*(dy - mean(dy) - xhat*mean(dy*xhat)) = a*dy + b*(x - mean) + d, per channel.
      const dGamma = new Float32Array(channels);
      const dBeta = new Float32Array(channels);
      const a = new Float32Array(channels);
      const b = new Float32Array(channels);
      const d = new Float32Array(channels);
      for (let c = 0; c < channels; c++) {
        const rstd = 1 / Math.sqrt(variances[c] + epsilon);
        dGamma[c] = meanDyCentered[c] * count * rstd;
        dBeta[c] = meanDy[c] * count;
        a[c] = gammas[c] * rstd;
        b[c] = -gammas[c] * rstd * rstd * meanDyCentered[c] * rstd;
        d[c] = -gammas[c] * rstd * meanDy[c];
      }
      const [aInfo, bInfo, dInfo] = [a, b, d].map((values) => ops.fromValues([channels], values));
      const scaledDy = ops.mul(dy, aInfo);
      const scaledCentered = ops.mul(centered, bInfo);
      ops.release(centered);
      const sum = ops.add(scaledDy, scaledCentered);
      ops.release(scaledDy, scaledCentered);
      const dx = ops.add(sum, dInfo);
      ops.release(sum, aInfo, bInfo, dInfo);
      return [dx, ops.fromValues([channels], dGamma), ops.fromValues([channels], dBeta)];
    },
  },
];
