import { NUM_EMOTIONS } from "../emotions";
import { INPUT_SHAPE } from "../models/constants";
import type { Random } from "./epoch-random";

/** Gray bytes per face (48x48); taken from the models' input shape so this file stays free of Node imports. */
export const FACE_PIXELS = INPUT_SHAPE[0] * INPUT_SHAPE[1];

/**
 * Faces held in memory for training or evaluation: one flat byte array (FER-2013 as a whole is 66 MB), canonical
 * labels, and optionally soft targets. Labels are always present because accuracy, the confusion matrix and balanced
 * class weights need a single class per face; with soft targets they default to each row's argmax.
 */
export interface FaceDataset {
  readonly count: number;
  /** count * 2304 gray bytes, row-major 48x48 faces one after another. */
  readonly pixels: Uint8Array;
  /** Canonical class indices 0..6 (not-a-face never reaches training). */
  readonly labels: Uint8Array;
  /** count * 7 target distributions, rows summing to 1 (e.g. FER+ votes); the loss uses them instead of one-hot labels. */
  readonly softTargets?: Float32Array;
}

export interface FaceDatasetInput {
  pixels: Uint8Array;
  labels?: ArrayLike<number>;
  softTargets?: Float32Array;
}

/** Checks shapes and ranges once, so the training loop can trust the arrays; soft rows (e.g. vote counts) are normalised. */
export function createFaceDataset(input: FaceDatasetInput): FaceDataset {
  const { pixels, softTargets } = input;
  if (pixels.length % FACE_PIXELS !== 0) throw new Error(`pixels must hold whole ${FACE_PIXELS}-byte faces`);
  const count = pixels.length / FACE_PIXELS;
  if (input.labels === undefined && softTargets === undefined)
    throw new Error("a dataset needs labels or soft targets");
  if (softTargets !== undefined && softTargets.length !== count * NUM_EMOTIONS) {
    throw new Error(`softTargets must hold ${count} rows of ${NUM_EMOTIONS}, got ${softTargets.length} values`);
  }
  if (input.labels !== undefined && input.labels.length !== count) {
    throw new Error(`expected ${count} labels, got ${input.labels.length}`);
  }
  const labels = new Uint8Array(count);
  const soft = softTargets === undefined ? undefined : normalisedRows(softTargets, count);
  for (let i = 0; i < count; i++) {
    const label = input.labels !== undefined ? input.labels[i] : argmaxRow(soft!, i);
    if (!Number.isInteger(label) || label < 0 || label >= NUM_EMOTIONS) {
      throw new Error(`label ${label} of face ${i} is not a canonical class index 0..${NUM_EMOTIONS - 1}`);
    }
    labels[i] = label;
  }
  return { count, pixels, labels, softTargets: soft };
}

/** From decoded samples (e.g. `syntheticFaces`), copying the pixels into one array. */
export function faceDatasetFromSamples(samples: readonly { pixels: Uint8Array; label: number }[]): FaceDataset {
  const pixels = new Uint8Array(samples.length * FACE_PIXELS);
  samples.forEach((sample, i) => pixels.set(sample.pixels, i * FACE_PIXELS));
  return createFaceDataset({ pixels, labels: samples.map((s) => s.label) });
}

/** The faces at `indices`, copied, in that order. */
export function subsetFaceDataset(dataset: FaceDataset, indices: ArrayLike<number>): FaceDataset {
  const n = indices.length;
  const pixels = new Uint8Array(n * FACE_PIXELS);
  const labels = new Uint8Array(n);
  const soft = dataset.softTargets ? new Float32Array(n * NUM_EMOTIONS) : undefined;
  for (let i = 0; i < n; i++) {
    const j = indices[i];
    pixels.set(dataset.pixels.subarray(j * FACE_PIXELS, (j + 1) * FACE_PIXELS), i * FACE_PIXELS);
    labels[i] = dataset.labels[j];
    soft?.set(dataset.softTargets!.subarray(j * NUM_EMOTIONS, (j + 1) * NUM_EMOTIONS), i * NUM_EMOTIONS);
  }
  return { count: n, pixels, labels, softTargets: soft };
}

/** A Fisher-Yates permutation of 0..count-1. */
export function shuffledOrder(count: number, random: Random): Uint32Array {
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

export function classCounts(labels: ArrayLike<number>): number[] {
  const counts = new Array<number>(NUM_EMOTIONS).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return counts;
}

/** Soft targets may arrive as vote counts; the loss wants distributions. */
function normalisedRows(values: Float32Array, count: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < count; i++) {
    let sum = 0;
    for (let c = 0; c < NUM_EMOTIONS; c++) {
      const v = values[i * NUM_EMOTIONS + c];
      if (!(v >= 0)) throw new Error(`soft target ${v} of face ${i} is negative or not a number`);
      sum += v;
    }
    if (sum === 0) throw new Error(`soft targets of face ${i} are all zero`);
    for (let c = 0; c < NUM_EMOTIONS; c++) out[i * NUM_EMOTIONS + c] = values[i * NUM_EMOTIONS + c] / sum;
  }
  return out;
}

function argmaxRow(values: Float32Array, row: number): number {
  let best = 0;
  for (let c = 1; c < NUM_EMOTIONS; c++) {
    if (values[row * NUM_EMOTIONS + c] > values[row * NUM_EMOTIONS + best]) best = c;
  }
  return best;
}
