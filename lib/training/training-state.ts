import * as tf from "@tensorflow/tfjs";
import type { AdamW } from "./adamw";
import type { EpochMetrics, TrainingCheckpoint, TrainingCheckpointMeta } from "./types";
import { ZTrainingCheckpointMeta } from "./types";

/**
 * Checkpoint tensors by position, not by variable name: tfjs makes names unique per process ("conv2d_1/kernel_3"),
 * so a rebuilt model's names need not match, while its weight order always does. Shapes are checked on restore.
 */
export interface TrainingStateTensors {
  /** `model.weights` order: trainable and non-trainable (BatchNorm moving statistics). */
  weights: tf.Tensor[];
  /** Adam moments in `model.trainableWeights` order. */
  m: tf.Tensor[];
  v: tf.Tensor[];
  /** The selected epoch's `model.weights`, when they differ from `weights`. */
  best?: tf.Tensor[];
}

export async function encodeTrainingState(
  meta: TrainingCheckpointMeta,
  tensors: TrainingStateTensors,
): Promise<TrainingCheckpoint> {
  if ((tensors.best !== undefined) !== meta.storesBestWeights) throw new Error("storesBestWeights disagrees with best");
  const named: { name: string; tensor: tf.Tensor }[] = [
    ...tensors.weights.map((tensor, i) => ({ name: `model/${i}`, tensor })),
    ...tensors.m.map((tensor, i) => ({ name: `adam/m/${i}`, tensor })),
    ...tensors.v.map((tensor, i) => ({ name: `adam/v/${i}`, tensor })),
    ...(tensors.best ?? []).map((tensor, i) => ({ name: `best/${i}`, tensor })),
  ];
  const { data, specs } = await tf.io.encodeWeights(named);
  return { meta: ZTrainingCheckpointMeta.parse(meta), specs, data };
}

/** New tensors the caller owns (dispose them); validates the JSON half first, e.g. after reading it from storage. */
export function decodeTrainingState(checkpoint: TrainingCheckpoint): {
  meta: TrainingCheckpointMeta;
  tensors: TrainingStateTensors;
} {
  const meta = ZTrainingCheckpointMeta.parse(checkpoint.meta);
  const map = tf.io.decodeWeights(checkpoint.data, checkpoint.specs);
  const group = (prefix: string) => {
    const out: tf.Tensor[] = [];
    while (map[`${prefix}/${out.length}`] !== undefined) out.push(map[`${prefix}/${out.length}`]);
    return out;
  };
  const tensors: TrainingStateTensors = { weights: group("model"), m: group("adam/m"), v: group("adam/v") };
  const best = group("best");
  if (best.length > 0) tensors.best = best;
  if (meta.storesBestWeights !== best.length > 0) {
    tf.dispose(Object.values(map));
    throw new Error("checkpoint is inconsistent: storesBestWeights does not match its tensors");
  }
  return { meta, tensors };
}

/** Writes weights into `model.weights` in order, after checking every shape. */
export function assignModelWeights(model: tf.LayersModel, values: readonly tf.Tensor[]): void {
  const targets = model.weights;
  if (values.length !== targets.length) {
    throw new Error(`checkpoint holds ${values.length} weights; model ${model.name} has ${targets.length}`);
  }
  targets.forEach((target, i) => {
    if (!tf.util.arraysEqual(target.shape as number[], values[i].shape)) {
      throw new Error(`weight ${i} (${target.originalName}) is ${target.shape}; checkpoint has ${values[i].shape}`);
    }
  });
  model.setWeights([...values]);
}

export function disposeTrainingState(tensors: TrainingStateTensors): void {
  tf.dispose([...tensors.weights, ...tensors.m, ...tensors.v, ...(tensors.best ?? [])]);
}

/** The selected epoch's weights, kept while training goes on. */
export interface BestWeights {
  epoch: number;
  accuracy: number;
  weights: tf.Tensor[];
}

/** Copies of `model.weights`; cheap, since a clone shares data until the variable is assigned a new value. */
export function snapshotModelWeights(model: tf.LayersModel): tf.Tensor[] {
  return model.weights.map((w) => tf.clone(w.read()));
}

/** The run's state now, encoded; everything is cloned (shared data) first, so training may go on meanwhile. */
export async function captureCheckpoint(
  model: tf.LayersModel,
  optimizer: AdamW,
  best: BestWeights | null,
  meta: TrainingCheckpointMeta,
): Promise<TrainingCheckpoint> {
  const { m, v } = optimizer.moments();
  const tensors = {
    weights: snapshotModelWeights(model),
    m: m.map((t) => tf.clone(t)),
    v: v.map((t) => tf.clone(t)),
    best: meta.storesBestWeights ? best!.weights.map((t) => tf.clone(t)) : undefined,
  };
  try {
    return await encodeTrainingState(meta, tensors);
  } finally {
    disposeTrainingState(tensors);
  }
}

/** Loads a checkpoint into a model and optimizer after checking it belongs to this run's setup. */
export function restoreCheckpoint(
  resume: TrainingCheckpoint,
  model: tf.LayersModel,
  optimizer: AdamW,
  expected: { totalEpochs: number; batchSize: number; trainCount: number; timeBudgetSeconds: number | null },
): {
  seed: number;
  epochsCompleted: number;
  history: EpochMetrics[];
  best: BestWeights | null;
  elapsedSeconds: number;
  batchesCompleted: number;
} {
  const { meta, tensors } = decodeTrainingState(resume);
  try {
    for (const key of ["totalEpochs", "batchSize", "trainCount", "timeBudgetSeconds"] as const) {
      if (meta[key] !== expected[key]) {
        throw new Error(`cannot resume: the checkpoint's ${key} is ${meta[key]}, this run's is ${expected[key]}`);
      }
    }
    assignModelWeights(model, tensors.weights);
    optimizer.restore(meta.optimizerIterations, tensors.m, tensors.v);
    const bestWeights = tensors.best ?? (meta.selectedEpoch !== null ? tensors.weights : undefined);
    const best =
      meta.bestValAccuracy !== null && meta.selectedEpoch !== null && bestWeights !== undefined
        ? { epoch: meta.selectedEpoch, accuracy: meta.bestValAccuracy, weights: bestWeights.map((t) => tf.clone(t)) }
        : null;
    return {
      seed: meta.seed,
      epochsCompleted: meta.epochsCompleted,
      history: meta.history,
      best,
      elapsedSeconds: meta.elapsedSeconds,
      batchesCompleted: meta.batchesCompleted,
    };
  } finally {
    disposeTrainingState(tensors);
  }
}
