import * as tf from "@tensorflow/tfjs";
import { NUM_EMOTIONS } from "../emotions";
import type { FaceDataset } from "./face-dataset";

/**
 * Categorical cross-entropy on the models' softmax output, as Keras computes it (probabilities clipped to
 * [1e-7, 1 - 1e-7] before the log), with label smoothing and per-sample weights. Targets and weights are built in JS
 * while the batch is assembled, so the device sees three small ops beyond the model.
 */

export const PROBABILITY_EPSILON = 1e-7;

export interface LossSettings {
  /** Keras's: target = (1 - s) * target + s / 7. */
  labelSmoothing: number;
  /** A weight per canonical class, or null for none. */
  classWeights: Float32Array | null;
}

/** "balanced": N / (7 * n_c) over the labels actually trained on; a class with no faces gets 0 (it never occurs). */
export function balancedClassWeights(labels: ArrayLike<number>): Float32Array {
  const counts = new Float64Array(NUM_EMOTIONS);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return Float32Array.from(counts, (n) => (n > 0 ? labels.length / (NUM_EMOTIONS * n) : 0));
}

/**
 * Writes face `index`'s smoothed target row at `offset` and returns its sample weight: its label's class weight, or
 * for soft targets the target-weighted mean of the class weights (the same thing for a one-hot row).
 */
export function writeLossTarget(
  dataset: FaceDataset,
  index: number,
  settings: LossSettings,
  targets: Float32Array,
  offset: number,
): number {
  const s = settings.labelSmoothing;
  const weights = settings.classWeights;
  const soft = dataset.softTargets;
  let weight = 0;
  if (soft === undefined) {
    const label = dataset.labels[index];
    for (let c = 0; c < NUM_EMOTIONS; c++) targets[offset + c] = s / NUM_EMOTIONS;
    targets[offset + label] += 1 - s;
    weight = weights === null ? 1 : weights[label];
  } else {
    for (let c = 0; c < NUM_EMOTIONS; c++) {
      const t = soft[index * NUM_EMOTIONS + c];
      targets[offset + c] = (1 - s) * t + s / NUM_EMOTIONS;
      if (weights !== null) weight += weights[c] * t;
    }
    if (weights === null) weight = 1;
  }
  return weight;
}

/** sum_i weights_i * -sum_c targets_ic * log(clip(probs_ic)); callers fold 1/batchSize into the weights. */
export function weightedCrossEntropy(probs: tf.Tensor2D, targets: tf.Tensor2D, weights: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const logs = tf.log(tf.clipByValue(probs, PROBABILITY_EPSILON, 1 - PROBABILITY_EPSILON));
    const perSample = tf.sum(tf.mul(targets, logs), 1);
    return tf.neg(tf.sum(tf.mul(perSample, weights)));
  });
}

/**
 * The same loss in JS, unweighted, averaged over a dataset's predicted probabilities: what the loop reports as val
 * loss (Keras's val_loss also keeps label smoothing and leaves class weights out).
 */
export function meanCrossEntropy(probabilities: Float32Array, dataset: FaceDataset, labelSmoothing: number): number {
  const settings: LossSettings = { labelSmoothing, classWeights: null };
  const target = new Float32Array(NUM_EMOTIONS);
  let total = 0;
  for (let i = 0; i < dataset.count; i++) {
    writeLossTarget(dataset, i, settings, target, 0);
    for (let c = 0; c < NUM_EMOTIONS; c++) {
      const p = Math.min(1 - PROBABILITY_EPSILON, Math.max(PROBABILITY_EPSILON, probabilities[i * NUM_EMOTIONS + c]));
      total -= target[c] * Math.log(p);
    }
  }
  return dataset.count > 0 ? total / dataset.count : NaN;
}
