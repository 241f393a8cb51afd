import * as tf from "@tensorflow/tfjs";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { syntheticFaces } from "../images/synthetic-faces";
import { buildCompact } from "../models/compact";
import { classificationMetrics } from "./classification-metrics";
import {
  evaluateModel,
  evaluateWithViews,
  FLIP_VIEWS,
  predictProbabilities,
  SHIFT_FLIP_VIEWS,
  scoreFaces,
} from "./evaluate";
import { faceDatasetFromSamples } from "./face-dataset";
import { buildTinyNet } from "./testing/tiny-nets";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

let tensorsBefore = 0;
beforeEach(() => {
  tensorsBefore = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors).toBe(tensorsBefore);
});

const FACES = faceDatasetFromSamples(syntheticFaces(10, 2));

describe("predictProbabilities", () => {
  it("gives the same softmax rows whatever the batch size, in inference mode", async () => {
    const model = buildTinyNet({ filters: 4, batchNorm: true, dropout: 0.5 });
    const a = await predictProbabilities(model, FACES.pixels, { batchSize: 3 });
    const b = await predictProbabilities(model, FACES.pixels, { batchSize: 64 });
    expect(a).toHaveLength(70);
    a.forEach((p, i) => expect(p).toBeCloseTo(b[i], 6));
    // Dropout is off: predicting twice gives the same numbers.
    expect(await predictProbabilities(model, FACES.pixels, { batchSize: 3 })).toEqual(a);
    model.dispose();
  });

  it("with views, averages each face's softmax over them (here the face and its mirror image)", async () => {
    const model = buildTinyNet({ filters: 4 });
    const mirrored = new Uint8Array(FACES.pixels.length);
    for (let face = 0; face < FACES.count; face++)
      for (let row = 0; row < 48; row++)
        for (let col = 0; col < 48; col++)
          mirrored[face * 2304 + row * 48 + col] = FACES.pixels[face * 2304 + row * 48 + 47 - col];
    const plain = await predictProbabilities(model, FACES.pixels);
    const flipped = await predictProbabilities(model, mirrored);
    const averaged = await predictProbabilities(model, FACES.pixels, { views: FLIP_VIEWS, batchSize: 4 });
    averaged.forEach((p, i) => expect(p).toBeCloseTo((plain[i] + flipped[i]) / 2, 6));
    // The synthetic faces are not symmetric, so the average differs from the plain prediction somewhere.
    expect(averaged.some((p, i) => Math.abs(p - plain[i]) > 1e-4)).toBe(true);
    model.dispose();
  });

  it("has ten distinct shift-and-flip views, the plain face first", () => {
    expect(SHIFT_FLIP_VIEWS).toHaveLength(10);
    expect(SHIFT_FLIP_VIEWS[0]).toEqual({ dy: 0, dx: 0, flip: false });
    expect(new Set(SHIFT_FLIP_VIEWS.map((v) => JSON.stringify(v))).size).toBe(10);
  });

  it("stops at the next batch when the signal aborts", async () => {
    const model = buildTinyNet({ filters: 4 });
    await expect(predictProbabilities(model, FACES.pixels, { signal: AbortSignal.abort() })).rejects.toThrow();
    model.dispose();
  });
});

describe("evaluateModel", () => {
  it("reports the metrics of its predictions against the labels", async () => {
    const model = buildTinyNet({ filters: 4 });
    const report = await evaluateModel(model, FACES, { batchSize: 4 });
    const expected = classificationMetrics(await predictProbabilities(model, FACES.pixels), FACES.labels);
    expect(report.confusion).toEqual(expected.confusion);
    expect(report.accuracy).toBeCloseTo(expected.accuracy, 10);
    expect(report.nll).toBeCloseTo(expected.nll, 5);
    model.dispose();
  });
});

describe("evaluateWithViews", () => {
  it("reports the plain metrics and the accuracies averaged over flips and over shifts and flips", async () => {
    const model = buildTinyNet({ filters: 4 });
    const report = await evaluateWithViews(model, FACES, { batchSize: 4 });
    const plain = await evaluateModel(model, FACES);
    expect(report.confusion).toEqual(plain.confusion);
    expect(report.accuracy).toBeCloseTo(plain.accuracy, 10);
    const flip = await evaluateModel(model, FACES, { views: FLIP_VIEWS });
    const shiftFlip = await evaluateModel(model, FACES, { views: SHIFT_FLIP_VIEWS });
    expect(report.viewAveragedAccuracy.flip).toBeCloseTo(flip.accuracy, 10);
    expect(report.viewAveragedAccuracy.shiftFlip).toBeCloseTo(shiftFlip.accuracy, 10);
    model.dispose();
  });
});

describe("scoreFaces", () => {
  it("derives prediction, confidence, entropy and margin from each row", async () => {
    const model = buildTinyNet({ filters: 4 });
    const scores = await scoreFaces(model, FACES.pixels, { batchSize: 4 });
    expect(scores.count).toBe(10);
    expect(scores.embedding).toBeUndefined();
    for (let i = 0; i < scores.count; i++) {
      const row = Array.from(scores.probabilities.subarray(i * 7, i * 7 + 7));
      const sorted = [...row].sort((x, y) => y - x);
      expect(row.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 5);
      expect(scores.predicted[i]).toBe(row.indexOf(sorted[0]));
      expect(scores.confidence[i]).toBeCloseTo(sorted[0], 6);
      expect(scores.margin[i]).toBeCloseTo(sorted[0] - sorted[1], 6);
      expect(scores.entropy[i]).toBeCloseTo(-row.reduce((s, p) => s + (p > 0 ? p * Math.log(p) : 0), 0), 5);
      expect(scores.entropy[i]).toBeLessThanOrEqual(Math.log(7) + 1e-6);
    }
    model.dispose();
  });

  it("returns the compact net's pooled features as embeddings, sharing the model's layers", async () => {
    const model = buildCompact({ widths: [4, 8, 8, 16] });
    const pixels = FACES.pixels.subarray(0, 3 * 2304);
    const scores = await scoreFaces(model, pixels, { embedding: true });
    expect(scores.embeddingSize).toBe(16);
    expect(scores.embedding).toHaveLength(3 * 16);
    // Global average pooling of ReLU outputs: non-negative.
    expect(scores.embedding!.every((v) => v >= 0)).toBe(true);
    // Same probabilities as the plain model, and the model still works (the twin shares, never disposes).
    const plain = await predictProbabilities(model, pixels);
    plain.forEach((p, i) => expect(scores.probabilities[i]).toBeCloseTo(p, 6));
    const again = await scoreFaces(model, pixels, { embedding: true });
    expect(again.embedding).toEqual(scores.embedding);
    model.dispose();
  });
});
