import { NUM_EMOTIONS } from "../emotions";
import { PROBABILITY_EPSILON } from "./loss";

/**
 * Metrics from predicted probabilities (row-major [count, 7], canonical order) and the true labels in the same order:
 * the project's rule is that predictions and labels are never compared in different orders (the seed's mistake).
 */

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  /** Faces whose true label is this class. */
  support: number;
}

export interface ClassificationMetrics {
  count: number;
  accuracy: number;
  /** Mean F1 over classes that occur in the labels or the predictions (sklearn's default label set). */
  macroF1: number;
  /** Indexed by canonical class. */
  perClass: ClassMetrics[];
  /** confusion[true][predicted], canonical order. */
  confusion: number[][];
  /** Expected calibration error over equal-width confidence bins (15 unless asked). */
  ece: number;
  /** Mean -log p(true label), p clipped to 1e-7 as in the loss. */
  nll: number;
}

/** Index of the largest value in row i (the first on ties, as tf.argMax). */
export function argmaxAt(probabilities: Float32Array, i: number, numClasses: number = NUM_EMOTIONS): number {
  let best = 0;
  const base = i * numClasses;
  for (let c = 1; c < numClasses; c++) if (probabilities[base + c] > probabilities[base + best]) best = c;
  return best;
}

export function confusionMatrix(
  probabilities: Float32Array,
  labels: ArrayLike<number>,
  numClasses: number = NUM_EMOTIONS,
): number[][] {
  const matrix = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < labels.length; i++) matrix[labels[i]][argmaxAt(probabilities, i, numClasses)]++;
  return matrix;
}

/** Precision, recall and F1 per class, 0 where undefined (sklearn's zero_division=0). */
export function perClassMetrics(confusion: number[][]): ClassMetrics[] {
  return confusion.map((row, c) => {
    const truePositives = row[c];
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((sum, r) => sum + r[c], 0);
    const precision = predicted > 0 ? truePositives / predicted : 0;
    const recall = support > 0 ? truePositives / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { precision, recall, f1, support };
  });
}

/**
 * Guo et al.'s ECE: confidences (top probability) in `bins` equal-width bins (lo, hi]; the sum over bins of
 * (bin size / count) * |accuracy in bin - mean confidence in bin|.
 */
export function expectedCalibrationError(
  probabilities: Float32Array,
  labels: ArrayLike<number>,
  bins = 15,
  numClasses: number = NUM_EMOTIONS,
): number {
  const count = labels.length;
  const sizes = new Float64Array(bins);
  const correct = new Float64Array(bins);
  const confidence = new Float64Array(bins);
  for (let i = 0; i < count; i++) {
    const predicted = argmaxAt(probabilities, i, numClasses);
    const p = probabilities[i * numClasses + predicted];
    const bin = Math.min(bins - 1, Math.max(0, Math.ceil(p * bins) - 1));
    sizes[bin]++;
    confidence[bin] += p;
    if (predicted === labels[i]) correct[bin]++;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    if (sizes[b] > 0) ece += Math.abs(correct[b] - confidence[b]) / count;
  }
  return ece;
}

export function classificationMetrics(
  probabilities: Float32Array,
  labels: ArrayLike<number>,
  options: { bins?: number; numClasses?: number } = {},
): ClassificationMetrics {
  const numClasses = options.numClasses ?? NUM_EMOTIONS;
  const count = labels.length;
  if (probabilities.length !== count * numClasses) {
    throw new Error(`expected ${count} x ${numClasses} probabilities, got ${probabilities.length}`);
  }
  const confusion = confusionMatrix(probabilities, labels, numClasses);
  const perClass = perClassMetrics(confusion);
  const present = perClass.filter((m, c) => m.support > 0 || confusion.some((row) => row[c] > 0));
  let nll = 0;
  for (let i = 0; i < count; i++) {
    nll -= Math.log(Math.max(PROBABILITY_EPSILON, probabilities[i * numClasses + labels[i]]));
  }
  const correct = confusion.reduce((sum, row, c) => sum + row[c], 0);
  return {
    count,
    accuracy: count > 0 ? correct / count : NaN,
    macroF1: present.length > 0 ? present.reduce((sum, m) => sum + m.f1, 0) / present.length : NaN,
    perClass,
    confusion,
    ece: count > 0 ? expectedCalibrationError(probabilities, labels, options.bins ?? 15, numClasses) : NaN,
    nll: count > 0 ? nll / count : NaN,
  };
}

export interface ReliabilityBin {
  /** The bin's confidence range (lo, hi]. */
  lo: number;
  hi: number;
  count: number;
  /** Share of the bin's faces predicted right; NaN when empty. */
  accuracy: number;
  /** Mean top probability in the bin; NaN when empty. */
  confidence: number;
}

/** The bins `expectedCalibrationError` sums over, for a reliability diagram. */
export function reliabilityBins(
  probabilities: Float32Array,
  labels: ArrayLike<number>,
  bins = 15,
  numClasses: number = NUM_EMOTIONS,
): ReliabilityBin[] {
  const out = Array.from({ length: bins }, (_, b) => ({ lo: b / bins, hi: (b + 1) / bins, count: 0, correct: 0, sum: 0 }));
  for (let i = 0; i < labels.length; i++) {
    const predicted = argmaxAt(probabilities, i, numClasses);
    const p = probabilities[i * numClasses + predicted];
    const bin = out[Math.min(bins - 1, Math.max(0, Math.ceil(p * bins) - 1))];
    bin.count++;
    bin.sum += p;
    if (predicted === labels[i]) bin.correct++;
  }
  return out.map(({ lo, hi, count, correct, sum }) => ({
    lo,
    hi,
    count,
    accuracy: count > 0 ? correct / count : NaN,
    confidence: count > 0 ? sum / count : NaN,
  }));
}
