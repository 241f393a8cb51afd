import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { queryRows } from "../../db/query-rows";

/**
 * Test data for the labelling queue, written straight into the tables (no pixels: the queue never reads them).
 * For tests only.
 */

/** `count` active images with original labels cycling 0..6; returns their ids in order. */
export async function insertQueueImages(
  db: Database,
  count: number,
  options: {
    split?: "train" | "val" | "test";
    status?: "active" | "not_face" | "rejected";
    labels?: (i: number) => number;
  } = {},
): Promise<number[]> {
  const tag = randomUUID();
  const rows = await queryRows<{ id: number }>(
    db,
    sql`insert into images (content_hash, split, status, storage_key, storage_offset)
        select ${tag} || ':' || g, ${options.split ?? "train"}::split, ${options.status ?? "active"}::image_status, 'faces/test', 0
        from generate_series(1, ${count}) g order by g
        returning id`,
  );
  const ids = rows.map((r) => r.id).sort((a, b) => a - b);
  const labels = ids.map((_, i) => options.labels?.(i) ?? i % 7);
  await db.execute(sql`
    insert into annotations (image_id, source, label, client_request_id)
    select t.id, 'fer2013', t.label, 'fixture:' || t.id from unnest(${sql.param(ids)}::int[], ${sql.param(labels)}::smallint[]) t(id, label)`);
  return ids;
}

/** Annotator accounts; fixed ids where given (deterministic blind choices), random otherwise. */
export async function insertAnnotators(db: Database, count: number, ids: string[] = []): Promise<string[]> {
  const all = Array.from({ length: count }, (_, i) => ids[i] ?? randomUUID());
  await db.execute(sql`
    insert into users (id, email, role)
    select t.id, 'annotator-' || t.id || '@example.org', 'annotator' from unnest(${sql.param(all)}::uuid[]) t(id)`);
  return all;
}

/** A model version row (no files): enough for the queue, which only reads its predictions. */
export async function insertModelVersion(db: Database, options: { serving: boolean; name?: string }): Promise<number> {
  const version = randomUUID();
  const [row] = await queryRows<{ id: number }>(
    db,
    sql`insert into model_versions (model_name, version, storage_prefix, serving, published_at)
        values (${options.name ?? "compact"}, ${version}, ${`models/compact/${version}/`}, ${options.serving}, now())
        returning id`,
  );
  return row.id;
}

/** Prediction rows with the entropy and predicted label derived from the given probabilities. */
export async function insertPredictions(
  db: Database,
  modelVersionId: number,
  rows: { imageId: number; probs: number[] }[],
): Promise<void> {
  const entropy = (p: number[]) => -p.reduce((sum, x) => (x > 0 ? sum + x * Math.log(x) : sum), 0);
  const argmax = (p: number[]) => p.indexOf(Math.max(...p));
  const margin = (p: number[]) => {
    const sorted = [...p].sort((a, b) => b - a);
    return sorted[0] - sorted[1];
  };
  await db.execute(sql`
    insert into predictions (model_version_id, image_id, probs, predicted_label, entropy, margin)
    select ${modelVersionId}, t.id, string_to_array(t.probs, ',')::real[], t.label, t.entropy, t.margin
    from unnest(
      ${sql.param(rows.map((r) => r.imageId))}::int[],
      ${sql.param(rows.map((r) => r.probs.join(",")))}::text[],
      ${sql.param(rows.map((r) => argmax(r.probs)))}::smallint[],
      ${sql.param(rows.map((r) => entropy(r.probs)))}::real[],
      ${sql.param(rows.map((r) => margin(r.probs)))}::real[]
    ) as t(id, probs, label, entropy, margin)`);
}

/** FER+ vote rows (canonical order counts; not-a-face votes 0). */
export async function insertFerPlusVotes(db: Database, rows: { imageId: number; counts: number[] }[]): Promise<void> {
  await db.execute(sql`
    insert into vote_counts (image_id, source, source_ref, counts, raw_counts, not_face_votes, total_votes)
    select t.id, 'ferplus', 'row ' || t.id, string_to_array(t.counts, ',')::smallint[], string_to_array(t.counts, ',')::smallint[], 0, t.total
    from unnest(
      ${sql.param(rows.map((r) => r.imageId))}::int[],
      ${sql.param(rows.map((r) => r.counts.join(",")))}::text[],
      ${sql.param(rows.map((r) => r.counts.reduce((a, b) => a + b, 0)))}::smallint[]
    ) as t(id, counts, total)`);
}

/** Moves every lease (or one annotator's) into the past, as if their time had run out. */
export async function expireLeases(db: Database, annotatorId?: string): Promise<void> {
  await db.execute(
    annotatorId
      ? sql`update label_leases set expires_at = now() - interval '1 second' where annotator_id = ${annotatorId}::uuid`
      : sql`update label_leases set expires_at = now() - interval '1 second' where expires_at > now()`,
  );
}
