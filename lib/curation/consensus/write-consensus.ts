import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { FaceConsensus } from "./face-opinions";

const BATCH = 8192;

/** Upserts consensus rows in batches (one unnest insert each). */
export async function writeConsensus(db: Pick<Database, "execute">, rows: readonly FaceConsensus[]): Promise<void> {
  for (let start = 0; start < rows.length; start += BATCH) {
    const batch = rows.slice(start, start + BATCH);
    await db.execute(sql`
      insert into consensus_labels (method, image_id, label, confidence, distribution, updated_at)
      select t.method, t.image_id, t.label, t.confidence, string_to_array(t.distribution, ',')::real[], now()
      from unnest(
        ${sql.param(batch.map((r) => r.method))}::text[],
        ${sql.param(batch.map((r) => r.imageId))}::int[],
        ${sql.param(batch.map((r) => r.label))}::smallint[],
        ${sql.param(batch.map((r) => Number(r.confidence.toFixed(5))))}::real[],
        ${sql.param(batch.map((r) => r.distribution.map((p) => Number(p.toFixed(5))).join(",")))}::text[]
      ) as t(method, image_id, label, confidence, distribution)
      on conflict (method, image_id) do update set label = excluded.label, confidence = excluded.confidence,
        distribution = excluded.distribution, updated_at = excluded.updated_at`);
  }
}
