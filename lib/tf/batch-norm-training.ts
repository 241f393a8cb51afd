import * as tf from "@tensorflow/tfjs";
import { BATCH_NORM_GRAD, BATCH_NORM_STATS } from "./batch-norm-kernel-names";

export interface BatchNormTraining {
  y: tf.Tensor;
  /** Batch statistics, for the moving averages; no gradient flows through them. */
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
}

/**
 * Training-mode batch normalisation over every axis but the last, with a hand-written gradient. Numerically the
 * same as tfjs-layers' moments + batchNorm, whose gradient tfjs builds from ~30 kernels including a Tile of the
 * inverse std to the full activation size. Uses the FaceloopBatchNorm* kernels where the backend has them.
 */
export function batchNormTraining(
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
): BatchNormTraining {
  const [mean, variance] = moments(x);
  const normalize = tf.customGrad((...args) => {
    const [input, scale, offset, save] = args as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    save([input, mean, variance, scale]);
    return {
      value: tf.batchNorm(input, mean, variance, offset, scale, epsilon),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => gradients(dy, saved, epsilon),
    };
  });
  const y = normalize(x, gamma, beta) as tf.Tensor;
  return { y, mean, variance };
}

function moments(x: tf.Tensor): [tf.Tensor1D, tf.Tensor1D] {
  if (hasKernel(BATCH_NORM_STATS))
    return tf.engine().runKernel(BATCH_NORM_STATS, { x }, {}) as [tf.Tensor1D, tf.Tensor1D];
  const { mean, variance } = tf.moments(x, innerAxes(x));
  return [mean as tf.Tensor1D, variance as tf.Tensor1D];
}

function gradients(dy: tf.Tensor, [x, mean, variance, gamma]: tf.Tensor[], epsilon: number): tf.Tensor[] {
  if (hasKernel(BATCH_NORM_GRAD)) {
    return tf.engine().runKernel(BATCH_NORM_GRAD, { dy, x, mean, variance, gamma }, { epsilon }) as tf.Tensor[];
  }
  return tf.tidy(() => {
    const axes = innerAxes(x);
    const count = x.size / x.shape[x.rank - 1];
    const rstd = tf.rsqrt(tf.add(variance, epsilon));
    const centered = tf.sub(x, mean);
    const sumDy = tf.sum(dy, axes);
    const dGamma = tf.mul(tf.sum(tf.mul(dy, centered), axes), rstd);
    const scale = tf.mul(gamma, rstd);
    const dx = tf.mul(
      scale,
      tf.sub(tf.sub(dy, tf.div(sumDy, count)), tf.mul(centered, tf.div(tf.mul(rstd, dGamma), count))),
    );
    return [dx, dGamma, sumDy];
  });
}

function innerAxes(x: tf.Tensor): number[] {
  return [...Array(x.rank - 1).keys()];
}

function hasKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) != null;
}
