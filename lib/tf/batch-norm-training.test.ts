import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { BATCH_NORM_CPU_KERNELS } from "./batch-norm-kernels-cpu";
import { batchNormTraining } from "./batch-norm-training";
import { selectBackend } from "./select-backend";
import { expectNoLeaks, relativeError, seededValues } from "./test-support";

const EPSILON = 1e-3;

/** tfjs-layers' own training path: moments, batchNorm, and tfjs' composed gradient. */
function reference(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D) {
  const axes = [...Array(x.rank - 1).keys()];
  const { mean, variance } = tf.moments(x, axes);
  return { y: tf.batchNorm(x, mean, variance, beta, gamma, EPSILON), mean, variance };
}

function run(useFast: boolean, shape: number[], seed: number) {
  return tf.tidy(() => {
    const channels = shape[shape.length - 1];
    // An offset mean and a small spread, as after a conv: the case where one-pass variance loses digits.
    const x = tf.add(
      tf.mul(
        tf.tensor(
          seededValues(
            shape.reduce((a, b) => a * b),
            seed,
          ),
          shape,
        ),
        0.5,
      ),
      3,
    );
    const gamma = tf.tensor1d(seededValues(channels, seed + 1)).add(1) as tf.Tensor1D;
    const beta = tf.tensor1d(seededValues(channels, seed + 2));
    const dy = tf.tensor(
      seededValues(
        shape.reduce((a, b) => a * b),
        seed + 3,
      ),
      shape,
    );
    const f = (xs: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
      (useFast
        ? batchNormTraining(xs, g as tf.Tensor1D, b as tf.Tensor1D, EPSILON)
        : reference(xs, g as tf.Tensor1D, b as tf.Tensor1D)
      ).y;
    const grads = tf.grads((xs: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(xs, g, b), dy)))([
      x,
      gamma,
      beta,
    ]);
    const stats = useFast ? batchNormTraining(x, gamma, beta, EPSILON) : reference(x, gamma, beta);
    return [stats.y, stats.mean, stats.variance, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

const NAMES = ["y", "mean", "variance", "dx", "dgamma", "dbeta"];

describe.each(["wasm", "cpu"])("batchNormTraining on %s", (backendName) => {
  beforeAll(async () => {
    await selectBackend({ prefer: "wasm" });
    await tf.setBackend(backendName);
  });

  for (const shape of [
    [4, 5, 5, 8],
    [64, 3],
    [2, 3, 3, 1],
  ]) {
    it(`matches tfjs' composition for ${shape}: outputs, statistics and gradients`, () => {
      const fast = run(true, shape, 7);
      const ref = run(false, shape, 7);
      fast.forEach((values, i) => {
        expect(relativeError(values, ref[i]), NAMES[i]).toBeLessThan(1e-4);
      });
    });
  }

  it("leaks no tensors, also when the gradient runs", () => {
    const x = tf.randomNormal([2, 4, 4, 3]);
    const gamma = tf.ones([3]) as tf.Tensor1D;
    const beta = tf.zeros([3]) as tf.Tensor1D;
    expectNoLeaks(() => {
      const f = (xs: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.square(batchNormTraining(xs, g as tf.Tensor1D, b as tf.Tensor1D, EPSILON).y));
      const { value, grads } = tf.valueAndGrads(f)([x, gamma, beta]);
      tf.dispose([value, ...grads]);
    });
    tf.dispose([x, gamma, beta]);
  });
});

describe("batchNormTraining without its kernels (the path the tensorflow backend takes)", () => {
  it("matches tfjs' composition", async () => {
    await tf.setBackend("cpu");
    const configs = BATCH_NORM_CPU_KERNELS;
    configs.forEach((config) => tf.unregisterKernel(config.kernelName, "cpu"));
    try {
      const fast = run(true, [3, 4, 4, 5], 11);
      const ref = run(false, [3, 4, 4, 5], 11);
      fast.forEach((values, i) => expect(relativeError(values, ref[i]), NAMES[i]).toBeLessThan(1e-4));
    } finally {
      configs.forEach((config) => tf.registerKernel(config));
    }
  });
});

describe("installFastBatchNorm", () => {
  it("keeps tf.layers.batchNormalization's training output and moving averages", async () => {
    await tf.setBackend("wasm");
    const x = tf
      .tensor(seededValues(2 * 3 * 3 * 4, 3), [2, 3, 3, 4])
      .mul(2)
      .add(1);
    const layer = tf.layers.batchNormalization({ momentum: 0.9 });
    const y = layer.apply(x, { training: true }) as tf.Tensor;
    const ref = reference(x, tf.ones([4]) as tf.Tensor1D, tf.zeros([4]) as tf.Tensor1D);
    expect(relativeError(y.dataSync(), ref.y.dataSync())).toBeLessThan(1e-5);
    const [, , movingMean, movingVariance] = layer.getWeights();
    const expectMean = ref.mean.mul(0.1).dataSync();
    const expectVariance = ref.variance.mul(0.1).add(0.9).dataSync();
    expect(relativeError(movingMean.dataSync(), expectMean)).toBeLessThan(1e-5);
    expect(relativeError(movingVariance.dataSync(), expectVariance)).toBeLessThan(1e-5);
    tf.dispose([x, y, ref.y, ref.mean, ref.variance]);
    layer.dispose();
  });
});
