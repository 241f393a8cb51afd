import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { createAdamW } from "./adamw";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const CONFIG = { kind: "adam", learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0 } as const;

describe("createAdamW", () => {
  it("matches tf.train.adam when weight decay is 0", () => {
    const before = tf.memory().numTensors;
    // tidy frees the initial values; variables survive it.
    const ours = tf.tidy(() => [tf.variable(tf.tensor1d([1, -2, 3])), tf.variable(tf.tensor2d([[0.5, 0.25]]))]);
    const theirs = tf.tidy(() => ours.map((v) => tf.variable(v.clone())));
    const optimizer = createAdamW(CONFIG, ours, [true, false]);
    const reference = tf.train.adam(CONFIG.learningRate, CONFIG.beta1, CONFIG.beta2, CONFIG.epsilon);
    const gradients = [
      [tf.tensor1d([0.1, -0.3, 2]), tf.tensor2d([[1e-3, -5]])],
      [tf.tensor1d([-0.2, 0.1, 1]), tf.tensor2d([[2e-3, 4]])],
      [tf.tensor1d([0.3, 0, -1]), tf.tensor2d([[0, 1]])],
    ];
    for (const grads of gradients) {
      optimizer.step(grads, CONFIG.learningRate);
      reference.applyGradients(theirs.map((v, i) => ({ name: v.name, tensor: grads[i] })));
    }
    expect(optimizer.iterations).toBe(3);
    ours.forEach((v, i) => {
      const a = v.dataSync();
      const b = theirs[i].dataSync();
      a.forEach((x, j) => expect(x).toBeCloseTo(b[j], 6));
    });
    tf.dispose([...ours, ...theirs, ...gradients.flat()]);
    optimizer.dispose();
    reference.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("decays only the flagged variables, by lr * weightDecay, decoupled from the gradient", () => {
    const kernel = tf.variable(tf.tensor1d([2, -4]));
    const bias = tf.variable(tf.tensor1d([2, -4]));
    const optimizer = createAdamW({ ...CONFIG, weightDecay: 0.5 }, [kernel, bias], [true, false]);
    const zero = tf.zeros([2]);
    optimizer.step([zero, zero], 0.1);
    // With a zero gradient Adam moves nothing; only the decay acts: w * (1 - 0.1 * 0.5).
    expect(Array.from(kernel.dataSync())).toEqual([1.9, -3.8].map(Math.fround));
    expect(Array.from(bias.dataSync())).toEqual([2, -4]);
    tf.dispose([kernel, bias, zero]);
    optimizer.dispose();
  });

  it("skips variables without a gradient and restores exported moments", () => {
    const a = tf.variable(tf.tensor1d([1, 1]));
    const b = tf.variable(tf.tensor1d([1, 1]));
    const first = createAdamW(CONFIG, [a, b], [false, false]);
    const g = tf.tensor1d([0.5, -0.5]);
    first.step([g, undefined], 0.01);
    expect(Array.from(b.dataSync())).toEqual([1, 1]);
    const { m, v } = first.moments();
    const copies = [...m, ...v].map((t) => t.clone());
    const second = createAdamW(CONFIG, [tf.variable(a.clone()), tf.variable(b.clone())], [false, false]);
    second.restore(first.iterations, copies.slice(0, 2), copies.slice(2));
    tf.dispose(copies);
    expect(Array.from(second.moments().m[0].dataSync())).toEqual(Array.from(first.moments().m[0].dataSync()));
    expect(second.iterations).toBe(1);
    expect(() => second.restore(1, [tf.zeros([3])], [tf.zeros([3])])).toThrow(/moments/);
    first.dispose();
    second.dispose();
    tf.dispose([a, b, g]);
  });
});
