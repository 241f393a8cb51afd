import { describe, expect, it } from "vitest";
import { SEED_BATCHES_PER_EPOCH } from "./constants";
import { describePreset } from "./describe-preset";
import { getModelSpec, MODEL_NAMES, MODEL_ZOO } from "./index";
import { learningRateAt, learningRateAtProgress } from "./learning-rate";
import { FAST_PRESET, SEED_DEEP_RESNET_PRESET } from "./presets";
import { ZTrainingPreset } from "./types";

describe("model registry", () => {
  it("has unique names and valid presets", () => {
    expect(new Set(MODEL_NAMES).size).toBe(MODEL_ZOO.length);
    for (const spec of MODEL_ZOO) {
      expect(() => ZTrainingPreset.parse(spec.preset), spec.name).not.toThrow();
      expect(spec.inputShape).toEqual([48, 48, 1]);
      expect(spec.numClasses).toBe(7);
    }
  });

  it("shares one architecture between the two deep ResNet recipes, differing only in class weights", () => {
    const plain = getModelSpec("deep-resnet");
    const balanced = getModelSpec("deep-resnet-balanced");
    expect(balanced.architecture).toBe(plain.architecture);
    expect({ ...balanced.preset, name: "", description: "" }).toEqual({
      ...plain.preset,
      name: "",
      description: "",
      classWeights: "balanced",
    });
  });

  it("names the valid models when asked for an unknown one", () => {
    expect(() => getModelSpec("resnet50")).toThrow(
      /unknown model "resnet50"; valid names: plain-cnn, resnet34, .*compact/,
    );
  });

  it("summarises a preset on one line", () => {
    expect(describePreset(SEED_DEEP_RESNET_PRESET)).toBe(
      "adam 1e-3 /(1+4e-5t), shift 0.1 + flip, 200 ep x 64, best val",
    );
  });
});

describe("learningRateAt", () => {
  const { schedule, optimizer } = SEED_DEEP_RESNET_PRESET;

  it("reproduces the seed's inverse-time decay (5.8e-4 at epoch 50, 2.6e-4 at 200)", () => {
    expect(learningRateAt(schedule, optimizer.learningRate, 0, 1)).toBe(1e-3);
    expect(learningRateAt(schedule, optimizer.learningRate, 50 * SEED_BATCHES_PER_EPOCH, 1)).toBeCloseTo(5.8e-4, 5);
    expect(learningRateAt(schedule, optimizer.learningRate, 200 * SEED_BATCHES_PER_EPOCH, 1)).toBeCloseTo(2.6e-4, 5);
  });

  it("follows PyTorch's one-cycle: max/25 -> max at 30% -> max/25/1e4 at the end", () => {
    const s = FAST_PRESET.schedule;
    if (s.kind !== "one-cycle") throw new Error("fast preset should be one-cycle");
    const total = 1000;
    const at = (step: number) => learningRateAt(s, 0, step, total);
    expect(at(0)).toBeCloseTo(s.maxLearningRate / 25, 12);
    expect(at(299)).toBeCloseTo(s.maxLearningRate, 12);
    expect(at(999)).toBeCloseTo(s.maxLearningRate / 25 / 1e4, 12);
    expect(at(150)).toBeGreaterThan(at(100));
    expect(at(600)).toBeLessThan(at(400));
  });

  it("runs the same one-cycle over a time budget's progress instead of steps", () => {
    const s = FAST_PRESET.schedule;
    if (s.kind !== "one-cycle") throw new Error("fast preset should be one-cycle");
    const at = (progress: number) => learningRateAtProgress(s, 0, 12345, progress);
    expect(at(0)).toBeCloseTo(s.maxLearningRate / 25, 12);
    expect(at(0.3)).toBeCloseTo(s.maxLearningRate, 12);
    expect(at(1)).toBeCloseTo(s.maxLearningRate / 25 / 1e4, 12);
    expect(at(1.5)).toBe(at(1));
    // Halfway through the falling phase is halfway between its ends (cosine).
    expect(at(0.65)).toBeCloseTo((s.maxLearningRate + s.maxLearningRate / 25 / 1e4) / 2, 12);
  });

  it("keeps step-based schedules on steps when the run is bounded by time", () => {
    const { schedule: s, optimizer: o } = SEED_DEEP_RESNET_PRESET;
    const step = 50 * SEED_BATCHES_PER_EPOCH;
    expect(learningRateAtProgress(s, o.learningRate, step, 0.1)).toBe(learningRateAt(s, o.learningRate, step, 1));
  });
});
