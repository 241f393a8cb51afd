import type * as tf from "@tensorflow/tfjs";
import { z } from "zod";

/** Adam with optional decoupled weight decay (AdamW): w -= lr * weightDecay * w after each step, on kernels only. */
export const ZOptimizer = z.object({
  kind: z.literal("adam"),
  learningRate: z.number().positive(),
  beta1: z.number().min(0).max(1),
  beta2: z.number().min(0).max(1),
  epsilon: z.number().positive(),
  weightDecay: z.number().min(0),
});

/**
 * How the learning rate moves, per batch. `learningRate` of the optimiser is the base (constant, inverse-time) or
 * ignored (one-cycle, which has its own peak). See `learningRateAt`.
 */
export const ZSchedule = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("constant") }),
  // Keras's legacy `decay` argument: lr_t = lr0 / (1 + decayPerBatch * t), t counting batches from 0.
  z.object({ kind: z.literal("inverse-time"), decayPerBatch: z.number().positive() }),
  // PyTorch's OneCycleLR (cosine, two phases): maxLearningRate / divFactor -> max over warmupFraction of all batches,
  // then down to maxLearningRate / (divFactor * finalDivFactor).
  z.object({
    kind: z.literal("one-cycle"),
    maxLearningRate: z.number().positive(),
    warmupFraction: z.number().gt(0).lt(1),
    divFactor: z.number().gt(1),
    finalDivFactor: z.number().gt(1),
  }),
]);

/** Keras ImageDataGenerator-style augmentation: continuous shifts (bilinear, nearest fill) and horizontal flips. */
export const ZAugmentation = z.object({
  shiftFraction: z.number().min(0).max(0.5),
  horizontalFlip: z.boolean(),
  /**
   * Round shifts to whole pixels. A fractional shift interpolates, which blurs every training face while the faces
   * the model is later asked about are sharp; torchvision's translations (nearest) and random crops never blur.
   */
  wholePixelShifts: z.boolean().optional(),
});

export const ZTrainingPreset = z.object({
  name: z.string().min(1),
  description: z.string(),
  optimizer: ZOptimizer,
  schedule: ZSchedule,
  augmentation: ZAugmentation,
  /** "balanced" weighs class c by N / (numClasses * n_c), computed from the training split actually used. */
  classWeights: z.enum(["none", "balanced"]),
  labelSmoothing: z.number().min(0).lt(1),
  epochs: z.number().int().positive(),
  batchSize: z.number().int().positive(),
  /** Which weights the run keeps: the epoch with the best val accuracy, or simply the last one. */
  checkpoint: z.enum(["best-val-accuracy", "last-epoch"]),
});

export type OptimizerConfig = z.infer<typeof ZOptimizer>;
export type LearningRateSchedule = z.infer<typeof ZSchedule>;
export type Augmentation = z.infer<typeof ZAugmentation>;
export type TrainingPreset = z.infer<typeof ZTrainingPreset>;

/** One entry of the zoo: an architecture plus the recipe it is trained with. */
export interface ModelSpec {
  /** Unique, kebab-case; what `getModelSpec` and the CLI take. */
  name: string;
  /** Specs may share an architecture with different presets (the deep ResNet with and without class weights). */
  architecture: string;
  description: string;
  inputShape: readonly [number, number, number];
  numClasses: number;
  /** `model.countParams()` of a fresh build; set for the seed models, whose totals are known from the study. */
  expectedParams?: number;
  /** What the study reported, on its own biased 1,432-image slice; for orientation only, not comparable to our test. */
  seedReportedAccuracy?: number;
  build(): tf.LayersModel;
  preset: TrainingPreset;
}
