import { eq, sql } from "drizzle-orm";
import { testPredictions } from "../../db/schema";
import type { Database } from "../db/client";
import { queryRows } from "../db/query-rows";
import { NUM_EMOTIONS } from "../emotions";
import { dataFingerprint } from "../evaluation/data-fingerprint";
import { argmaxAt } from "../training/classification-metrics";

/**
 * A version's per-face predictions on the frozen test split, with the labels they were scored against. Stored once
 * at evaluation time; the leaderboard, the version page and comparisons recompute everything from them.
 */
export interface TestPredictionSet {
  /** Ascending image ids. */
  imageIds: number[];
  /** Evaluation labels, canonical order. */
  labels: number[];
  /** [count, 7] probabilities, canonical order. */
  probabilities: Float32Array;
}

const CHUNK = 5000;

/**
 * Names the test a version took: a hash of its (image, label) pairs in image order. Two versions with the same
 * fingerprint answered the same questions with the same answer key, so their accuracies compare.
 */
export function testSetFingerprint(imageIds: ArrayLike<number>, labels: ArrayLike<number>): string {
  return `sha256:${dataFingerprint(Array.from(imageIds), labels).sha256.slice(0, 16)}`;
}

/** Stores a version's test predictions and its test set's fingerprint, in one transaction (all or nothing). */
export async function storeTestPredictions(
  db: Database,
  modelVersionId: number,
  set: { imageIds: ArrayLike<number>; labels: ArrayLike<number>; probabilities: Float32Array },
): Promise<string> {
  const count = set.imageIds.length;
  if (set.labels.length !== count || set.probabilities.length !== count * NUM_EMOTIONS) {
    throw new Error(`test predictions: ${count} images, ${set.labels.length} labels, ${set.probabilities.length} probabilities`);
  }
  const fingerprint = testSetFingerprint(set.imageIds, set.labels);
  await db.transaction(async (tx) => {
    await tx.delete(testPredictions).where(eq(testPredictions.modelVersionId, modelVersionId));
    for (let start = 0; start < count; start += CHUNK) {
      const end = Math.min(count, start + CHUNK);
      const ids: number[] = [];
      const labels: number[] = [];
      const predicted: number[] = [];
      const probs: string[] = [];
      for (let i = start; i < end; i++) {
        ids.push(set.imageIds[i]);
        labels.push(set.labels[i]);
        predicted.push(argmaxAt(set.probabilities, i));
        probs.push(Array.from(set.probabilities.subarray(i * NUM_EMOTIONS, (i + 1) * NUM_EMOTIONS)).join(","));
      }
      // One unnest insert per chunk: drizzle's row-by-row builder costs ~1 s of CPU per 10,000 rows.
      await tx.execute(sql`
        insert into test_predictions (model_version_id, image_id, label, probs, predicted_label)
        select ${modelVersionId}, t.id, t.label, string_to_array(t.probs, ',')::real[], t.predicted
        from unnest(${sql.param(ids)}::int[], ${sql.param(labels)}::smallint[], ${sql.param(probs)}::text[],
                    ${sql.param(predicted)}::smallint[]) as t(id, label, probs, predicted)`);
    }
    await tx.execute(sql`update model_versions set test_set_fingerprint = ${fingerprint} where id = ${modelVersionId}`);
  });
  return fingerprint;
}

/** A version's stored test predictions (empty when it has none). */
export async function loadTestPredictions(db: Database, modelVersionId: number): Promise<TestPredictionSet> {
  const rows = await queryRows<{ image_id: number; label: number; probs: number[] }>(
    db,
    sql`select image_id, label, probs from test_predictions where model_version_id = ${modelVersionId} order by image_id`,
  );
  const probabilities = new Float32Array(rows.length * NUM_EMOTIONS);
  rows.forEach((row, i) => probabilities.set(row.probs.map(Number), i * NUM_EMOTIONS));
  return { imageIds: rows.map((r) => r.image_id), labels: rows.map((r) => r.label), probabilities };
}
