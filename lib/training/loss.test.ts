import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { createFaceDataset, FACE_PIXELS } from "./face-dataset";
import {
  balancedClassWeights,
  type LossSettings,
  meanCrossEntropy,
  weightedCrossEntropy,
  writeLossTarget,
} from "./loss";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const LN7 = Math.log(7);

function dataset(labels: number[], softTargets?: number[][]) {
  return createFaceDataset({
    pixels: new Uint8Array(labels.length * FACE_PIXELS),
    labels,
    softTargets: softTargets && Float32Array.from(softTargets.flat()),
  });
}

/** The tf loss for probability rows against the dataset's targets, as the training loop builds them. */
function tfLoss(probs: number[][], data: ReturnType<typeof dataset>, settings: LossSettings): number {
  const n = probs.length;
  const targets = new Float32Array(n * 7);
  const weights = new Float32Array(n);
  for (let i = 0; i < n; i++) weights[i] = writeLossTarget(data, i, settings, targets, i * 7) / n;
  const before = tf.memory().numTensors;
  const value = tf.tidy(
    () => weightedCrossEntropy(tf.tensor2d(probs), tf.tensor2d(targets, [n, 7]), tf.tensor1d(weights)).dataSync()[0],
  );
  expect(tf.memory().numTensors).toBe(before);
  return value;
}

const confident = (label: number, p = 0.9) => Array.from({ length: 7 }, (_, c) => (c === label ? p : (1 - p) / 6));

describe("loss", () => {
  it("is ln 7 for a uniform prediction, whatever the smoothing", () => {
    const uniform = new Array(7).fill(1 / 7);
    for (const labelSmoothing of [0, 0.1, 0.5]) {
      expect(tfLoss([uniform, uniform], dataset([0, 3]), { labelSmoothing, classWeights: null })).toBeCloseTo(LN7, 5);
    }
  });

  it("applies Keras's label smoothing: (1 - s) * onehot + s / 7", () => {
    const s = 0.1;
    const expected = -((1 - s + s / 7) * Math.log(0.9) + 6 * (s / 7) * Math.log(0.1 / 6));
    const data = dataset([2]);
    expect(tfLoss([confident(2)], data, { labelSmoothing: 0, classWeights: null })).toBeCloseTo(-Math.log(0.9), 5);
    expect(tfLoss([confident(2)], data, { labelSmoothing: s, classWeights: null })).toBeCloseTo(expected, 5);
    // Smoothing penalises confidence: the confident correct prediction now costs more.
    expect(expected).toBeGreaterThan(-Math.log(0.9));
  });

  it("weighs each face by its class weight and averages over the batch", () => {
    const labels = [0, 0, 0, 1];
    const weights = balancedClassWeights(labels);
    expect(Array.from(weights)).toEqual([4 / 21, 4 / 7, 0, 0, 0, 0, 0].map(Math.fround));
    const probs = [confident(0, 0.5), confident(0, 0.6), confident(1, 0.7), confident(1, 0.8)];
    const ce = [Math.log(0.5), Math.log(0.6), Math.log(0.3 / 6), Math.log(0.8)].map((v) => -v);
    const expected = (weights[0] * (ce[0] + ce[1] + ce[2]) + weights[1] * ce[3]) / 4;
    expect(tfLoss(probs, dataset(labels), { labelSmoothing: 0, classWeights: weights })).toBeCloseTo(expected, 5);
  });

  it("uses soft targets as given (normalised), weighted by the target-weighted class weight", () => {
    const data = dataset([0], [[3, 1, 0, 0, 0, 0, 0]]);
    expect(Array.from(data.softTargets!.subarray(0, 2))).toEqual([0.75, 0.25]);
    const probs = [[0.5, 0.2, 0.1, 0.05, 0.05, 0.05, 0.05]];
    const ce = -(0.75 * Math.log(0.5) + 0.25 * Math.log(0.2));
    expect(tfLoss(probs, data, { labelSmoothing: 0, classWeights: null })).toBeCloseTo(ce, 5);
    const classWeights = Float32Array.from([2, 4, 1, 1, 1, 1, 1]);
    expect(tfLoss(probs, data, { labelSmoothing: 0, classWeights })).toBeCloseTo((0.75 * 2 + 0.25 * 4) * ce, 5);
  });

  it("clips probabilities at 1e-7 as Keras does", () => {
    const zero = [1, 0, 0, 0, 0, 0, 0];
    expect(tfLoss([zero], dataset([1]), { labelSmoothing: 0, classWeights: null })).toBeCloseTo(-Math.log(1e-7), 3);
  });

  it("has a JS twin for validation that matches the tf loss without class weights", () => {
    const data = dataset([0, 5, 6]);
    const probs = [confident(0, 0.6), confident(4, 0.5), confident(6, 0.9)];
    const settings = { labelSmoothing: 0.1, classWeights: null };
    expect(meanCrossEntropy(Float32Array.from(probs.flat()), data, 0.1)).toBeCloseTo(tfLoss(probs, data, settings), 5);
  });
});
