import type * as tf from "@tensorflow/tfjs";
import { BATCH_NORM_GRAD, BATCH_NORM_STATS } from "./batch-norm-kernel-names";
import { computeArrays } from "./kernel-arrays";

/**
 * The batch-norm kernels as plain loops with float64 sums: stats in one pass, the gradient in two. For the cpu
 * backend, where they beat tfjs' composition (~30 kernels and a Tile), and as the reference for the wasm ones.
 */
export const BATCH_NORM_CPU_KERNELS: tf.KernelConfig[] = [
  { kernelName: BATCH_NORM_STATS, backendName: "cpu", kernelFunc: statsKernel },
  { kernelName: BATCH_NORM_GRAD, backendName: "cpu", kernelFunc: gradKernel },
];

function statsKernel({ inputs, backend }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo[] {
  const { x } = inputs as { x: tf.TensorInfo };
  const channels = x.shape[x.shape.length - 1];
  return computeArrays(backend, [x], [[channels], [channels]], ([mean, variance], [xs]) => {
    const sum = new Float64Array(channels);
    const sumSq = new Float64Array(channels);
    for (let o = 0; o < xs.length; o += channels) {
      for (let c = 0; c < channels; c++) {
        const v = xs[o + c];
        sum[c] += v;
        sumSq[c] += v * v;
      }
    }
    const count = xs.length / channels;
    for (let c = 0; c < channels; c++) {
      const m = sum[c] / count;
      mean[c] = m;
      variance[c] = Math.max(0, sumSq[c] / count - m * m);
    }
  });
}

function gradKernel({ inputs, backend, attrs }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo[] {
  const { dy, x, mean, variance, gamma } = inputs as Record<string, tf.TensorInfo>;
  const epsilon = (attrs as { epsilon: number }).epsilon;
  const channels = x.shape[x.shape.length - 1];
  const { shape } = x;
  return computeArrays(
    backend,
    [dy, x, mean, variance, gamma],
    [shape, [channels], [channels]],
    ([dx, dGamma, dBeta], [dys, xs, means, variances, gammas]) => {
      const sumDy = new Float64Array(channels);
      const sumDyCentered = new Float64Array(channels);
      for (let o = 0; o < xs.length; o += channels) {
        for (let c = 0; c < channels; c++) {
          const g = dys[o + c];
          sumDy[c] += g;
          sumDyCentered[c] += g * (xs[o + c] - means[c]);
        }
      }
      // dx = gamma*rstd*(dy - mean(dy) - xhat*mean(dy*xhat)) = a*dy + b*(x - mean) + d, per channel.
      const count = xs.length / channels;
      const a = new Float32Array(channels);
      const b = new Float32Array(channels);
      const d = new Float32Array(channels);
      for (let c = 0; c < channels; c++) {
        const rstd = 1 / Math.sqrt(variances[c] + epsilon);
        const gradGamma = sumDyCentered[c] * rstd;
        dGamma[c] = gradGamma;
        dBeta[c] = sumDy[c];
        a[c] = gammas[c] * rstd;
        b[c] = (-gammas[c] * rstd * rstd * gradGamma) / count;
        d[c] = (-gammas[c] * rstd * sumDy[c]) / count;
      }
      for (let o = 0; o < xs.length; o += channels) {
        for (let c = 0; c < channels; c++) {
          dx[o + c] = a[c] * dys[o + c] + b[c] * (xs[o + c] - means[c]) + d[c];
        }
      }
    },
  );
}
