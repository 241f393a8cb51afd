import type * as tf from "@tensorflow/tfjs";
import { z } from "zod";

/** One epoch's curves point. Epochs count from 1. */
export const ZEpochMetrics = z.object({
  epoch: z.number().int().positive(),
  /** Running mean of the optimised loss (class weights, label smoothing and regularisers included) over the epoch. */
  trainLoss: z.number(),
  /** Running accuracy of the training-mode (augmented, dropout on) predictions against the hard labels. */
  trainAccuracy: z.number(),
  /** Inference-mode cross-entropy with the run's label smoothing and without class weights (Keras's val_loss). */
  valLoss: z.number().nullable(),
  valAccuracy: z.number().nullable(),
  valMacroF1: z.number().nullable(),
  /** The rate of the epoch's last batch. */
  learningRate: z.number(),
  seconds: z.number(),
  /** More val figures under named protocols (e.g. "per-fer2013-row:PublicTest"), from `valExtra`. */
  valProtocols: z.record(z.string(), z.number()).optional(),
  /** The share of the training set the epoch saw, when below 1: the last epoch of a run that ran out of time. */
  dataFraction: z.number().gt(0).lt(1).optional(),
});
export type EpochMetrics = z.infer<typeof ZEpochMetrics>;

/** The JSON half of a checkpoint; the tensors travel beside it as one binary blob described by `specs`. */
export const ZTrainingCheckpointMeta = z.object({
  format: z.literal("faceloop-training-state"),
  version: z.literal(1),
  epochsCompleted: z.number().int().nonnegative(),
  totalEpochs: z.number().int().positive(),
  batchSize: z.number().int().positive(),
  trainCount: z.number().int().positive(),
  seed: z.number().int(),
  optimizerIterations: z.number().int().nonnegative(),
  history: z.array(ZEpochMetrics),
  selectedEpoch: z.number().int().positive().nullable(),
  bestValAccuracy: z.number().nullable(),
  /** Whether separate best-epoch weights are stored ("best/<i>"); not when they equal the current weights. */
  storesBestWeights: z.boolean(),
  /** A run bounded by time: its budget, and the time it had used when the checkpoint was taken (the schedule's clock). */
  timeBudgetSeconds: z.number().positive().nullable().default(null),
  elapsedSeconds: z.number().nonnegative().default(0),
  /**
   * A checkpoint taken mid-epoch (a run stopped by Ctrl-C): batches done in the epoch after `epochsCompleted`. The
   * resumed run goes on from the next batch in the same order; its augmentation draws for the rest of that epoch
   * differ from an uninterrupted run's, and that epoch's train loss covers only the batches after the resume.
   */
  batchesCompleted: z.number().int().nonnegative().default(0),
});
export type TrainingCheckpointMeta = z.infer<typeof ZTrainingCheckpointMeta>;

/**
 * Everything a killed run needs to continue as if uninterrupted: model weights (BatchNorm statistics included), Adam
 * moments and step count, the best-epoch weights, the curves, and the epoch to go on from. Randomness is derived from
 * (seed, epoch), so no generator state is stored. Store `meta` and `specs` as JSON and `data` as a binary object.
 */
export interface TrainingCheckpoint {
  meta: TrainingCheckpointMeta;
  specs: tf.io.WeightsManifestEntry[];
  data: ArrayBuffer;
}
