import * as tf from "@tensorflow/tfjs";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { syntheticFaces } from "../images/synthetic-faces";
import { buildCompact } from "../models/compact";
import { learningRateAt, learningRateAtProgress } from "../models/learning-rate";
import { FAST_PRESET } from "../models/presets";
import type { TrainingPreset } from "../models/types";
import { evaluateModel, predictProbabilities } from "./evaluate";
import { createFaceDataset, type FaceDataset, faceDatasetFromSamples } from "./face-dataset";
import { balancedClassWeights, meanCrossEntropy } from "./loss";
import { buildTinyNet } from "./testing/tiny-nets";
import { type EpochContext, type TrainModelOptions, trainModel } from "./train-model";
import type { EpochMetrics, TrainingCheckpoint } from "./types";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

let tensorsBefore = 0;
beforeEach(() => {
  tensorsBefore = tf.memory().numTensors;
});
afterEach(() => {
  // Every test disposes its models: whatever is left is a leak of the training code.
  expect(tf.memory().numTensors).toBe(tensorsBefore);
});

const TEST_PRESET: TrainingPreset = {
  ...FAST_PRESET,
  name: "test",
  batchSize: 16,
  epochs: 3,
  augmentation: { shiftFraction: 0.1, horizontalFlip: true },
  schedule: { kind: "one-cycle", maxLearningRate: 1e-2, warmupFraction: 0.3, divFactor: 25, finalDivFactor: 1e4 },
};

const SMALL_TRAIN = faceDatasetFromSamples(syntheticFaces(7 * 8, 5));
const SMALL_VAL = faceDatasetFromSamples(syntheticFaces(7 * 2, 6));

function weightValues(model: tf.LayersModel): Float32Array[] {
  return model.weights.map((w) => w.read().dataSync() as Float32Array);
}

/** A model with `reference`'s architecture and initial weights (new variables, new names). */
function twin(build: () => tf.LayersModel, reference: tf.LayersModel): tf.LayersModel {
  const model = build();
  model.setWeights(reference.getWeights());
  return model;
}

function withoutTimes(history: EpochMetrics[]): Omit<EpochMetrics, "seconds">[] {
  return history.map(({ seconds: _, ...rest }) => rest);
}

describe("trainModel", () => {
  it("learns synthetic faces: the loss falls, held-out accuracy is far above chance, the best epoch is kept", async () => {
    const train = faceDatasetFromSamples(syntheticFaces(7 * 60, 11));
    const val = faceDatasetFromSamples(syntheticFaces(7 * 20, 12));
    const model = buildTinyNet({ hidden: 128, downsample: 4, batchNorm: true, dropout: 0.2 });
    const preset: TrainingPreset = {
      ...TEST_PRESET,
      batchSize: 32,
      epochs: 12,
      augmentation: { shiftFraction: 0, horizontalFlip: true },
      checkpoint: "best-val-accuracy",
    };
    const selectedFlags: boolean[] = [];
    const result = await trainModel({
      model,
      preset,
      train,
      val,
      seed: 3,
      onEpoch: (_, c) => void selectedFlags.push(c.selected),
    });

    const { history } = result;
    expect(result.cancelled).toBe(false);
    expect(history.map((m) => m.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(history.at(-1)!.trainLoss).toBeLessThan(history[0].trainLoss - 0.5);
    const accuracies = history.map((m) => m.valAccuracy!);
    const best = Math.max(...accuracies);
    expect(best).toBeGreaterThan(0.6);
    expect(result.selectedEpoch).toBe(accuracies.indexOf(best) + 1);
    expect(selectedFlags[result.selectedEpoch! - 1]).toBe(true);
    // The model ends with the selected epoch's weights.
    expect((await evaluateModel(model, val)).accuracy).toBeCloseTo(best, 10);
    // The reported rate is the schedule's at each epoch's last batch (14 batches of up to 32).
    history.forEach((m, e) =>
      expect(m.learningRate).toBeCloseTo(learningRateAt(preset.schedule, 3e-3, 14 * e + 13, 168), 12),
    );
    model.dispose();
  });

  it("sums micro-batch gradients into exactly the full batch's update (model without BatchNorm)", async () => {
    const reference = buildTinyNet({ filters: 4 });
    const run = async (microBatchSize: number) => {
      const model = twin(() => buildTinyNet({ filters: 4 }), reference);
      const result = await trainModel({
        model,
        preset: TEST_PRESET,
        train: SMALL_TRAIN,
        epochs: 2,
        microBatchSize,
        seed: 9,
      });
      const weights = weightValues(model);
      model.dispose();
      return { weights, history: result.history };
    };
    const full = await run(16);
    const micro = await run(5); // 5 + 5 + 5 + 1: uneven micro-batches
    full.weights.forEach((w, i) => w.forEach((x, j) => expect(micro.weights[i][j]).toBeCloseTo(x, 5)));
    full.history.forEach((m, e) => expect(micro.history[e].trainLoss).toBeCloseTo(m.trainLoss, 5));
    expect(micro.history.map((m) => m.trainAccuracy)).toEqual(full.history.map((m) => m.trainAccuracy));
    reference.dispose();
  });

  it("resumes from a checkpoint exactly as if never interrupted", async () => {
    const build = () => buildTinyNet({ filters: 4, batchNorm: true });
    const reference = build();
    const preset: TrainingPreset = { ...TEST_PRESET, epochs: 4, checkpoint: "best-val-accuracy" };
    const base: Omit<TrainModelOptions, "model"> = { preset, train: SMALL_TRAIN, val: SMALL_VAL, seed: 21 };
    const lastEpochWeights =
      (into: { values?: Float32Array[] }) => (m: EpochMetrics, c: { snapshotWeights(): tf.Tensor[] }) => {
        if (m.epoch !== preset.epochs) return;
        const snapshot = c.snapshotWeights();
        into.values = snapshot.map((t) => t.dataSync() as Float32Array);
        tf.dispose(snapshot);
      };

    const straight = twin(build, reference);
    const straightLast: { values?: Float32Array[] } = {};
    const uninterrupted = await trainModel({ ...base, model: straight, onEpoch: lastEpochWeights(straightLast) });

    // Killed after epoch 2: the service stored the checkpoint (JSON + a binary blob) and the process died.
    const first = twin(build, reference);
    const controller = new AbortController();
    let saved: TrainingCheckpoint | undefined;
    const stopped = await trainModel({
      ...base,
      model: first,
      signal: controller.signal,
      onEpoch: async (m, c) => {
        if (m.epoch === 2) {
          const checkpoint = await c.checkpoint();
          const json = JSON.parse(JSON.stringify({ meta: checkpoint.meta, specs: checkpoint.specs }));
          saved = { ...json, data: checkpoint.data.slice(0) };
          controller.abort();
        }
      },
    });
    expect(stopped.cancelled).toBe(true);
    expect(saved!.meta.epochsCompleted).toBe(2);
    first.dispose();

    const resumedModel = build(); // fresh initial weights and variable names: everything comes from the checkpoint
    const resumedLast: { values?: Float32Array[] } = {};
    const resumed = await trainModel({
      ...base,
      seed: undefined,
      model: resumedModel,
      resume: saved,
      onEpoch: lastEpochWeights(resumedLast),
    });

    expect(withoutTimes(resumed.history)).toEqual(withoutTimes(uninterrupted.history));
    expect(resumed.selectedEpoch).toBe(uninterrupted.selectedEpoch);
    expect(resumedLast.values).toEqual(straightLast.values);
    expect(weightValues(resumedModel)).toEqual(weightValues(straight));
    await expect(trainModel({ ...base, epochs: 5, model: resumedModel, resume: saved })).rejects.toThrow(/totalEpochs/);
    [reference, straight, resumedModel].forEach((m) => m.dispose());
  });

  it("runs over a time budget: the schedule follows the clock, the last epoch is cut short, resume keeps the clock", async () => {
    const build = () => buildTinyNet({ filters: 4, batchNorm: true });
    const reference = build();
    // A fake clock on which every batch takes 100 ms and nothing else takes time: 4 batches of 16 per epoch.
    const fakeClock = (start: number) => {
      let now = start;
      return { clock: () => now, onBatch: () => void (now += 100) };
    };
    const base = { preset: TEST_PRESET, train: SMALL_TRAIN, val: SMALL_VAL, seed: 4, epochs: 10, timeBudgetSeconds: 1 };
    const straight = twin(build, reference);
    const rates: number[] = [];
    const time = fakeClock(0);
    const result = await trainModel({
      ...base,
      model: straight,
      clock: time.clock,
      onBatch: (p) => {
        rates.push(p.learningRate);
        time.onBatch();
      },
    });

    // 1,000 ms fit 10 batches: two whole epochs, then half of the third (the 11th batch would end past the budget).
    expect(result.history.map((m) => m.dataFraction)).toEqual([undefined, undefined, 32 / 56]);
    expect(rates).toHaveLength(10);
    rates.forEach((rate, i) =>
      expect(rate).toBeCloseTo(learningRateAtProgress(TEST_PRESET.schedule, 3e-3, i, (i * 100) / 1000), 12),
    );

    // Killed after epoch 1 (400 ms used); the new process's clock starts somewhere else entirely.
    let saved: TrainingCheckpoint | undefined;
    const controller = new AbortController();
    const firstTime = fakeClock(0);
    const first = twin(build, reference);
    await trainModel({
      ...base,
      model: first,
      clock: firstTime.clock,
      onBatch: firstTime.onBatch,
      signal: controller.signal,
      onEpoch: async (_, c) => {
        saved = await c.checkpoint();
        controller.abort();
      },
    });
    expect(saved!.meta).toMatchObject({ epochsCompleted: 1, timeBudgetSeconds: 1, elapsedSeconds: 0.4 });
    const resumedTime = fakeClock(987_654);
    const resumedModel = build();
    const resumed = await trainModel({
      ...base,
      model: resumedModel,
      resume: saved,
      clock: resumedTime.clock,
      onBatch: resumedTime.onBatch,
    });
    expect(withoutTimes(resumed.history)).toEqual(withoutTimes(result.history));
    expect(weightValues(resumedModel)).toEqual(weightValues(straight));
    await expect(trainModel({ ...base, timeBudgetSeconds: 2, model: resumedModel, resume: saved })).rejects.toThrow(
      /timeBudgetSeconds/,
    );
    [reference, straight, first, resumedModel].forEach((m) => m.dispose());
  });

  it("with a time budget, anneals over the epoch cap when that is reached first (a faster machine than planned)", async () => {
    const model = buildTinyNet({ filters: 4, batchNorm: true });
    let now = 0;
    const rates: number[] = [];
    // 2 epochs of 4 batches at 100 ms each use 0.8 s of a 10 s budget: the epoch cap ends the run.
    const result = await trainModel({
      model,
      preset: TEST_PRESET,
      train: SMALL_TRAIN,
      seed: 4,
      epochs: 2,
      timeBudgetSeconds: 10,
      clock: () => now,
      onBatch: (p) => {
        rates.push(p.learningRate);
        now += 100;
      },
    });
    expect(result.history).toHaveLength(2);
    rates.forEach((rate, i) =>
      expect(rate).toBeCloseTo(learningRateAtProgress(TEST_PRESET.schedule, 3e-3, i, i / 7), 12),
    );
    expect(rates.at(-1)).toBeCloseTo(learningRateAtProgress(TEST_PRESET.schedule, 3e-3, 7, 1), 12); // the floor
    model.dispose();
  });

  it("stops between batches when the signal aborts", async () => {
    const model = buildTinyNet({ filters: 4, batchNorm: true, dropout: 0.3 });
    const controller = new AbortController();
    const batches: number[] = [];
    const epochs: number[] = [];
    let context: EpochContext | undefined;
    const result = await trainModel({
      model,
      preset: TEST_PRESET,
      train: SMALL_TRAIN,
      val: SMALL_VAL,
      signal: controller.signal,
      onBatch: (p) => {
        batches.push(p.step);
        if (p.step === 6) controller.abort();
      },
      onEpoch: (m, c) => {
        epochs.push(m.epoch);
        context = c;
      },
    });
    expect(result.cancelled).toBe(true);
    expect(() => context!.snapshotWeights()).toThrow(/only valid while its onEpoch runs/);
    expect(batches).toEqual([1, 2, 3, 4, 5, 6]);
    expect(epochs).toEqual([1]);
    expect(result.history).toHaveLength(1);

    const none = await trainModel({ model, preset: TEST_PRESET, train: SMALL_TRAIN, signal: AbortSignal.abort() });
    expect(none).toEqual({ history: [], selectedEpoch: null, cancelled: true });
    model.dispose();
  });

  describe("the optimised loss", () => {
    // A learning rate of ~0 leaves the model unchanged, so the epoch's train loss is the loss of its predictions.
    const frozen: TrainingPreset = {
      ...TEST_PRESET,
      epochs: 1,
      optimizer: { ...TEST_PRESET.optimizer, learningRate: 1e-30, weightDecay: 0 },
      schedule: { kind: "constant" },
      augmentation: { shiftFraction: 0, horizontalFlip: false },
      labelSmoothing: 0,
      classWeights: "none",
    };
    const imbalanced = faceDatasetFromSamples(syntheticFaces(7 * 6, 8).filter((s, i) => s.label !== 3 || i < 7));

    async function lossOf(preset: TrainingPreset, data: FaceDataset, l2 = 0) {
      const model = buildTinyNet({ filters: 4, l2 });
      const probabilities = await predictProbabilities(model, data.pixels);
      const { history } = await trainModel({ model, preset, train: data });
      const kernelSquares = l2 > 0 ? tf.tidy(() => tf.sum(tf.square(model.weights[0].read())).dataSync()[0]) : 0;
      model.dispose();
      return { trainLoss: history[0].trainLoss, probabilities, kernelSquares };
    }

    function expectedLoss(probabilities: Float32Array, data: FaceDataset, smoothing: number, weights?: Float32Array) {
      let total = 0;
      for (let i = 0; i < data.count; i++) {
        const one = createFaceDataset({
          pixels: data.pixels.subarray(0, 2304),
          labels: data.softTargets ? undefined : [data.labels[i]],
          softTargets: data.softTargets?.slice(i * 7, i * 7 + 7),
        });
        const weight = weights
          ? one.softTargets
            ? one.softTargets.reduce((s, t, c) => s + t * weights[c], 0)
            : weights[data.labels[i]]
          : 1;
        total += weight * meanCrossEntropy(probabilities.subarray(i * 7, i * 7 + 7), one, smoothing);
      }
      return total / data.count;
    }

    it("is the mean cross-entropy of the model's predictions", async () => {
      const { trainLoss, probabilities } = await lossOf(frozen, imbalanced);
      expect(trainLoss).toBeCloseTo(expectedLoss(probabilities, imbalanced, 0), 4);
    });

    it("adds label smoothing and balanced class weights computed from the training labels", async () => {
      const preset: TrainingPreset = { ...frozen, labelSmoothing: 0.2, classWeights: "balanced" };
      const { trainLoss, probabilities } = await lossOf(preset, imbalanced);
      const weights = balancedClassWeights(imbalanced.labels);
      expect(weights[3]).toBeGreaterThan(weights[0]);
      const weighted = expectedLoss(probabilities, imbalanced, 0.2, weights);
      expect(trainLoss).toBeCloseTo(weighted, 4);
      // Balanced weights sum to N over the samples, so with near-uniform predictions of a fresh (unseeded) model the
      // unweighted loss can come within 1e-4 of the weighted one: require only that the weighted one fits better.
      const unweighted = expectedLoss(probabilities, imbalanced, 0.2);
      expect(Math.abs(trainLoss - weighted)).toBeLessThanOrEqual(Math.abs(trainLoss - unweighted));
    });

    it("trains on soft targets", async () => {
      const soft = createFaceDataset({
        pixels: imbalanced.pixels,
        softTargets: Float32Array.from({ length: imbalanced.count * 7 }, (_, k) =>
          k % 7 === imbalanced.labels[Math.floor(k / 7)] ? 6 : (k * 7919) % 3,
        ),
      });
      const { trainLoss, probabilities } = await lossOf({ ...frozen, classWeights: "balanced" }, soft);
      expect(trainLoss).toBeCloseTo(expectedLoss(probabilities, soft, 0, balancedClassWeights(soft.labels)), 4);
    });

    it("includes the model's regularisers once per batch", async () => {
      const { trainLoss, probabilities, kernelSquares } = await lossOf(frozen, imbalanced, 0.01);
      expect(kernelSquares).toBeGreaterThan(0);
      expect(trainLoss).toBeCloseTo(expectedLoss(probabilities, imbalanced, 0) + 0.01 * kernelSquares, 4);
    });
  });

  it("runs the compact net in training mode, BatchNorm statistics moving, with micro-batches", async () => {
    const model = buildCompact({ widths: [4, 8, 8, 16] });
    const before = weightValues(model);
    // One step of 4 faces in two micro-batches: the cpu backend's conv filter gradient is far too slow for more.
    const data = faceDatasetFromSamples(syntheticFaces(4, 4));
    const result = await trainModel({
      model,
      preset: { ...TEST_PRESET, batchSize: 4, epochs: 1 },
      train: data,
      val: data,
      microBatchSize: 2,
    });
    expect(result.history[0].valAccuracy).not.toBeNull();
    const after = weightValues(model);
    model.weights.forEach((w, i) => {
      // Every weight moves: kernels, gamma/beta through the optimiser, moving mean/variance through training-mode BN.
      expect(after[i], w.originalName).not.toEqual(before[i]);
    });
    model.dispose();
  });
});
