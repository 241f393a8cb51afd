import { NUM_EMOTIONS } from "../../emotions";

export interface AnnotatorAccuracy {
  annotatorId: string;
  labels: number;
  /** Share of their labels that equal the consensus label (faces with a consensus only). */
  accuracy: number;
  /** confusion[consensus][theirs], counts. */
  confusion: number[][];
}

/** Each annotator's labels against a consensus: accuracy and confusion matrix (rows: consensus, columns: theirs). */
export function annotatorAccuracy(
  labels: readonly { annotatorId: string; imageId: number; label: number }[],
  consensus: ReadonlyMap<number, number | null>,
): AnnotatorAccuracy[] {
  const by = new Map<string, AnnotatorAccuracy>();
  for (const { annotatorId, imageId, label } of labels) {
    const truth = consensus.get(imageId);
    if (truth === undefined || truth === null || label < 0 || label >= NUM_EMOTIONS) continue;
    let entry = by.get(annotatorId);
    if (!entry) {
      entry = {
        annotatorId,
        labels: 0,
        accuracy: 0,
        confusion: Array.from({ length: NUM_EMOTIONS }, () => new Array<number>(NUM_EMOTIONS).fill(0)),
      };
      by.set(annotatorId, entry);
    }
    entry.labels++;
    entry.confusion[truth][label]++;
  }
  for (const entry of by.values()) {
    const right = entry.confusion.reduce((a, row, j) => a + row[j], 0);
    entry.accuracy = entry.labels > 0 ? right / entry.labels : 0;
  }
  return [...by.values()].sort((a, b) => b.labels - a.labels || a.annotatorId.localeCompare(b.annotatorId));
}
