import type * as tf from "@tensorflow/tfjs";
import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import type { ObjectStore } from "../storage/object-store";
import { type ScorePoolProgress, scorePool } from "./store-predictions";

export type ScoringOutcome = { status: "succeeded"; scored: number } | { status: "failed"; error: string };

/**
 * Scores the pool with a published version and records the outcome on the version: a failure here is the version's
 * scoring failure (its run still succeeded), and calling this again resumes it (scorePool skips scored images).
 * Afterwards embeddings are pruned to the serving version and the one that served before it.
 */
export async function scoreModelVersion(
  db: Database,
  store: ObjectStore,
  model: tf.LayersModel,
  modelVersionId: number,
  options: { signal?: AbortSignal; onProgress?: (p: ScorePoolProgress) => void | Promise<void> } = {},
): Promise<ScoringOutcome> {
  await db.execute(sql`update model_versions set scoring_status = 'running', scoring_error = null where id = ${modelVersionId}`);
  try {
    const scored = await scorePool(db, store, model, modelVersionId, options);
    if (options.signal?.aborted) throw new Error("stopped before every image was scored");
    await db.execute(sql`update model_versions set scoring_status = 'succeeded' where id = ${modelVersionId}`);
    await pruneEmbeddings(db);
    return { status: "succeeded", scored };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await db.execute(
      sql`update model_versions set scoring_status = 'failed', scoring_error = ${message} where id = ${modelVersionId}`,
    );
    return { status: "failed", error: message };
  }
}

/**
 * Keeps embeddings only for the serving version and the most recent version published before it (the one a
 * rollback would go back to); other versions keep their probabilities, which the item history shows.
 */
export async function pruneEmbeddings(db: Database): Promise<number> {
  const result = (await db.execute(sql`
    with serving as (select id from model_versions where serving),
    kept as (
      select id from serving
      union all
      (select v.id from model_versions v where v.id < coalesce((select id from serving), 2147483647) and not v.demo
       order by v.id desc limit 1)
    )
    update predictions p set embedding = null
    where p.embedding is not null and p.model_version_id not in (select id from kept)`)) as unknown as { rowCount?: number; affectedRows?: number };
  return result.rowCount ?? result.affectedRows ?? 0;
}
