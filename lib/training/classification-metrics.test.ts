import { describe, expect, it } from "vitest";
import { classificationMetrics, confusionMatrix, expectedCalibrationError } from "./classification-metrics";

/** Rows of three probabilities padded with zeros to the seven classes. */
function padded(rows: number[][]): Float32Array {
  return Float32Array.from(rows.flatMap((row) => [...row, 0, 0, 0, 0]));
}

// Hand-worked example: predictions 0, 1 | 1, 2 | 2, 2 for labels 0, 0 | 1, 1 | 2, 2.
const LABELS = [0, 0, 1, 1, 2, 2];
const PROBS = padded([
  [0.72, 0.18, 0.1],
  [0.3, 0.52, 0.18],
  [0.07, 0.83, 0.1],
  [0.29, 0.3, 0.41],
  [0.19, 0.19, 0.62],
  [0.03, 0.04, 0.93],
]);

describe("classificationMetrics", () => {
  const metrics = classificationMetrics(PROBS, LABELS);

  it("puts true labels on rows and predictions on columns, in canonical order", () => {
    expect(metrics.confusion).toHaveLength(7);
    expect(metrics.confusion.slice(0, 3).map((row) => row.slice(0, 3))).toEqual([
      [1, 1, 0],
      [0, 1, 1],
      [0, 0, 2],
    ]);
    expect(metrics.confusion.flat().reduce((a, b) => a + b, 0)).toBe(6);
  });

  it("computes accuracy, per-class precision/recall/F1 and macro-F1 over the classes that occur", () => {
    expect(metrics.accuracy).toBeCloseTo(4 / 6, 10);
    const [c0, c1, c2, c3] = metrics.perClass;
    expect(c0).toEqual({ precision: 1, recall: 0.5, f1: 2 / 3, support: 2 });
    expect(c1).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(c2.precision).toBeCloseTo(2 / 3, 10);
    expect(c2.recall).toBe(1);
    expect(c2.f1).toBeCloseTo(0.8, 10);
    expect(c3).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    // sklearn's f1_score(average="macro") averages over labels present in y_true or y_pred: 0, 1, 2.
    expect(metrics.macroF1).toBeCloseTo((2 / 3 + 0.5 + 0.8) / 3, 6);
  });

  it("computes ECE with one face per bin and the mean NLL", () => {
    // Confidences .72 .52 .83 .41 .62 .93 fall in six different 1/15-wide bins; correctness 1 0 1 0 1 1.
    const gaps = [1 - 0.72, 0.52, 1 - 0.83, 0.41, 1 - 0.62, 1 - 0.93];
    expect(metrics.ece).toBeCloseTo(gaps.reduce((a, b) => a + b) / 6, 6);
    const pTrue = [0.72, 0.3, 0.83, 0.3, 0.62, 0.93];
    expect(metrics.nll).toBeCloseTo(-pTrue.reduce((s, p) => s + Math.log(p), 0) / 6, 6);
  });
});

describe("expectedCalibrationError", () => {
  it("averages accuracy and confidence within a shared bin", () => {
    // .71 and .72 share the bin (10/15, 11/15]: accuracy 1/2, mean confidence .715. .95 alone, correct.
    const probs = padded([
      [0.71, 0.19, 0.1],
      [0.72, 0.18, 0.1],
      [0.02, 0.95, 0.03],
    ]);
    expect(expectedCalibrationError(probs, [0, 1, 1])).toBeCloseTo((2 / 3) * Math.abs(0.5 - 0.715) + (1 / 3) * 0.05, 6);
  });

  it("is 0 for a perfectly calibrated bin and respects the bin count", () => {
    const probs = padded([
      [0.5, 0.3, 0.2],
      [0.5, 0.3, 0.2],
    ]);
    expect(expectedCalibrationError(probs, [0, 1])).toBeCloseTo(0, 10);
    expect(expectedCalibrationError(probs, [0, 0], 2)).toBeCloseTo(0.5, 10);
  });
});

describe("confusionMatrix", () => {
  it("breaks ties toward the lower class, as tf.argMax", () => {
    const m = confusionMatrix(padded([[0.4, 0.4, 0.2]]), [1]);
    expect(m[1][0]).toBe(1);
  });
});
