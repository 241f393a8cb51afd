import type { Database } from "../db/client";
import { NUM_EMOTIONS } from "../emotions";
import { mcnemarTest, type McNemarResult } from "../statistics/mcnemar-test";
import { argmaxAt, type ClassificationMetrics, classificationMetrics } from "../training/classification-metrics";
import { loadTestPredictions, type TestPredictionSet } from "./test-predictions";

export interface ChangedItem {
  imageId: number;
  label: number;
  predictedA: number;
  predictedB: number;
  confidenceA: number;
  confidenceB: number;
}

export interface VersionComparison {
  /** Faces both were tested on with the same label (the paired items). */
  paired: number;
  /** Whether both took exactly the same test (same faces, same labels). */
  sameTest: boolean;
  a: ClassificationMetrics;
  b: ClassificationMetrics;
  /** b = A right and B wrong, c = A wrong and B right. */
  mcnemar: McNemarResult;
  /** Faces whose prediction changed; those where one of the two is right first. */
  changed: ChangedItem[];
  changedCount: number;
}

/**
 * Two versions on their paired test predictions: per-class metrics of each, the faces whose prediction changed, and
 * McNemar's test of whether the accuracy difference is more than this test set's chance.
 */
export async function compareModelVersions(
  db: Database,
  versionA: number,
  versionB: number,
  options: { changedLimit?: number } = {},
): Promise<VersionComparison | null> {
  const [setA, setB] = [await loadTestPredictions(db, versionA), await loadTestPredictions(db, versionB)];
  if (setA.imageIds.length === 0 || setB.imageIds.length === 0) return null;
  const [a, b] = pairUp(setA, setB);
  const labels = a.labels;
  let onlyA = 0;
  let onlyB = 0;
  const changed: ChangedItem[] = [];
  for (let i = 0; i < labels.length; i++) {
    const pa = argmaxAt(a.probabilities, i);
    const pb = argmaxAt(b.probabilities, i);
    if (pa === labels[i] && pb !== labels[i]) onlyA++;
    if (pa !== labels[i] && pb === labels[i]) onlyB++;
    if (pa !== pb) {
      changed.push({
        imageId: a.imageIds[i],
        label: labels[i],
        predictedA: pa,
        predictedB: pb,
        confidenceA: a.probabilities[i * NUM_EMOTIONS + pa],
        confidenceB: b.probabilities[i * NUM_EMOTIONS + pb],
      });
    }
  }
  const decisive = (c: ChangedItem) => (c.predictedA === c.label || c.predictedB === c.label ? 0 : 1);
  changed.sort((x, y) => decisive(x) - decisive(y) || x.imageId - y.imageId);
  return {
    paired: labels.length,
    sameTest: labels.length === setA.imageIds.length && labels.length === setB.imageIds.length,
    a: classificationMetrics(a.probabilities, labels),
    b: classificationMetrics(b.probabilities, labels),
    mcnemar: mcnemarTest(onlyA, onlyB),
    changed: changed.slice(0, options.changedLimit ?? 48),
    changedCount: changed.length,
  };
}

/** The faces both sets hold with the same label, in the same order (both are sorted by image id). */
function pairUp(setA: TestPredictionSet, setB: TestPredictionSet): [TestPredictionSet, TestPredictionSet] {
  const keep: [number, number][] = [];
  let j = 0;
  for (let i = 0; i < setA.imageIds.length; i++) {
    while (j < setB.imageIds.length && setB.imageIds[j] < setA.imageIds[i]) j++;
    if (j < setB.imageIds.length && setB.imageIds[j] === setA.imageIds[i] && setB.labels[j] === setA.labels[i]) keep.push([i, j]);
  }
  const take = (set: TestPredictionSet, which: 0 | 1): TestPredictionSet => {
    const probabilities = new Float32Array(keep.length * NUM_EMOTIONS);
    keep.forEach((pair, k) =>
      probabilities.set(set.probabilities.subarray(pair[which] * NUM_EMOTIONS, (pair[which] + 1) * NUM_EMOTIONS), k * NUM_EMOTIONS),
    );
    return { imageIds: keep.map((p) => set.imageIds[p[which]]), labels: keep.map((p) => set.labels[p[which]]), probabilities };
  };
  return [take(setA, 0), take(setB, 1)];
}
