import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { queryRows } from "../db/query-rows";
import { NUM_EMOTIONS } from "../emotions";
import { FACE_PIXELS } from "../images/face-format";
import { readFaces } from "../images/face-shards";
import type { ObjectStore } from "../storage/object-store";
import type * as tf from "@tensorflow/tfjs";
import { scoreFaces } from "../training/evaluate";

export interface ScorePoolProgress {
  scored: number;
  total: number;
}

/**
 * Scores every active image with a model version (probabilities, entropy, margin, embedding) in chunks, and stores
 * the scores for active learning. Resumable: images that already have this version's prediction are skipped.
 */
export async function scorePool(
  db: Database,
  store: ObjectStore,
  model: tf.LayersModel,
  modelVersionId: number,
  options: { chunkSize?: number; embedding?: boolean; onProgress?: (p: ScorePoolProgress) => void | Promise<void>; signal?: AbortSignal } = {},
): Promise<number> {
  const chunkSize = options.chunkSize ?? 4096;
  const [{ total }] = await queryRows<{ total: number }>(
    db,
    sql`select count(*)::int as total from images where status = 'active'`,
  );
  let scored = total - (await countUnscored(db, modelVersionId));
  let afterId = 0;
  for (;;) {
    if (options.signal?.aborted) break;
    const batch = await queryRows<{ id: number; storage_key: string; storage_offset: number }>(
      db,
      sql`select i.id, i.storage_key, i.storage_offset from images i
          where i.status = 'active' and i.id > ${afterId}
            and not exists (select 1 from predictions p where p.model_version_id = ${modelVersionId} and p.image_id = i.id)
          order by i.id limit ${chunkSize}`,
    );
    if (batch.length === 0) break;
    afterId = batch[batch.length - 1].id;
    const faces = await readFaces(
      store,
      batch.map((b) => ({ storageKey: b.storage_key, storageOffset: b.storage_offset })),
    );
    const pixels = new Uint8Array(batch.length * FACE_PIXELS);
    faces.forEach((face, i) => pixels.set(face, i * FACE_PIXELS));
    const scores = await scoreFaces(model, pixels, { embedding: options.embedding ?? true });
    const row = (values: Float32Array, width: number, i: number) =>
      Array.from(values.subarray(i * width, (i + 1) * width), (v) => Number(v.toFixed(5))).join(",");
    await db.execute(sql`
      insert into predictions (model_version_id, image_id, probs, predicted_label, entropy, margin, embedding)
      select ${modelVersionId}, t.id, string_to_array(t.probs, ',')::real[], t.label, t.entropy, t.margin,
             case when t.embedding = '' then null else string_to_array(t.embedding, ',')::real[] end
      from unnest(
        ${sql.param(batch.map((b) => b.id))}::int[],
        ${sql.param(batch.map((_, i) => row(scores.probabilities, NUM_EMOTIONS, i)))}::text[],
        ${sql.param(Array.from(scores.predicted))}::smallint[],
        ${sql.param(Array.from(scores.entropy))}::real[],
        ${sql.param(Array.from(scores.margin))}::real[],
        ${sql.param(batch.map((_, i) => (scores.embedding && scores.embeddingSize ? row(scores.embedding, scores.embeddingSize, i) : "")))}::text[]
      ) as t(id, probs, label, entropy, margin, embedding)
      on conflict (model_version_id, image_id) do nothing`);
    scored += batch.length;
    await options.onProgress?.({ scored, total });
  }
  return scored;
}

async function countUnscored(db: Database, modelVersionId: number): Promise<number> {
  const [{ n }] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from images i where i.status = 'active'
        and not exists (select 1 from predictions p where p.model_version_id = ${modelVersionId} and p.image_id = i.id)`,
  );
  return n;
}
