import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { queryRows } from "../db/query-rows";
import type { Split } from "../datasets/types";
import { faceContentHash } from "../images/face-hash";
import { writeFaceShard } from "../images/face-shards";
import type { ObjectStore } from "../storage/object-store";

/** One image row of an input, ready to store: where it came from, its label and its pixels. */
export interface IncomingImage {
  source: string;
  sourceRef: string;
  split: Split;
  /** Canonical label; null where the source's label is unknown. */
  label: number | null;
  pixels: Uint8Array;
  /** Its row in a row-based file (FER-2013), which FER+ votes point at. */
  sourceRow?: number;
}

export interface BatchOutcome {
  imagesAdded: number;
  duplicatesLinked: number;
  alreadyImported: number;
}

/**
 * Stores one batch of images: new pixels go to one S3 shard first, then one transaction records images, their
 * sources and the sources' labels. A crash between the two leaves at most an unreferenced shard, never a row
 * without pixels; rerunning the batch finishes it. Duplicates (same content hash) link to the stored image.
 */
export async function writeImageBatch(
  db: Database,
  store: ObjectStore,
  batch: readonly IncomingImage[],
  importJobId: number,
): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { imagesAdded: 0, duplicatesLinked: 0, alreadyImported: 0 };
  if (batch.length === 0) return outcome;

  const source = batch[0].source;
  const known = await queryRows<{ source_ref: string }>(
    db,
    sql`select source_ref from image_sources where source = ${source} and source_ref = any(${sql.param(batch.map((b) => b.sourceRef))}::text[])`,
  );
  const alreadyImported = new Set(known.map((r) => r.source_ref));
  const fresh = batch.filter((b) => !alreadyImported.has(b.sourceRef));
  outcome.alreadyImported = batch.length - fresh.length;
  if (fresh.length === 0) return outcome;

  const hashes = fresh.map((b) => faceContentHash(b.pixels));
  const stored = await queryRows<{ content_hash: string }>(
    db,
    sql`select content_hash from images where content_hash = any(${sql.param([...new Set(hashes)])}::text[])`,
  );
  const storedHashes = new Set(stored.map((r) => r.content_hash));

  // New pixels, each once, even when the batch itself repeats them.
  const newFaces: { hash: string; pixels: Uint8Array; split: Split }[] = [];
  const firstIndex = new Map<string, number>();
  fresh.forEach((b, i) => {
    const hash = hashes[i];
    if (storedHashes.has(hash)) return;
    const seen = firstIndex.get(hash);
    if (seen === undefined) {
      firstIndex.set(hash, newFaces.length);
      newFaces.push({ hash, pixels: b.pixels, split: b.split });
    } else {
      newFaces[seen].split = moreProtected(newFaces[seen].split, b.split);
    }
  });
  const locations = await writeFaceShard(
    store,
    newFaces.map((f) => f.pixels),
  );

  await db.transaction(async (tx) => {
    const inserted = await queryRows<{ id: number }>(
      tx,
      sql`
      insert into images (content_hash, split, storage_key, storage_offset, source_count)
      select h, s, k, o, 0 from unnest(
        ${sql.param(newFaces.map((f) => f.hash))}::text[],
        ${sql.param(newFaces.map((f) => f.split))}::split[],
        ${sql.param(locations.map((l) => l.storageKey))}::text[],
        ${sql.param(locations.map((l) => l.storageOffset))}::int[]
      ) as t(h, s, k, o)
      on conflict (content_hash) do nothing
      returning id`,
    );
    outcome.imagesAdded = inserted.length;
    outcome.duplicatesLinked = fresh.length - outcome.imagesAdded;

    const sources = await queryRows<{ image_id: number; source_ref: string }>(
      tx,
      sql`
      with incoming as (
        select * from unnest(
          ${sql.param(hashes)}::text[],
          ${sql.param(fresh.map((b) => b.sourceRef))}::text[],
          ${sql.param(fresh.map((b) => b.split))}::split[],
          ${sql.param(fresh.map((b) => b.label))}::smallint[],
          ${sql.param(fresh.map((b) => b.sourceRow ?? null))}::int[]
        ) as t(h, ref, split, label, row)
      )
      insert into image_sources (image_id, source, source_ref, declared_split, original_label, source_row, import_job_id)
      select images.id, ${source}, incoming.ref, incoming.split, incoming.label, incoming.row, ${importJobId}
      from incoming join images on images.content_hash = incoming.h
      on conflict (source, source_ref) do nothing
      returning image_id, source_ref`,
    );

    // A face seen in several splits takes the most protected one, so a test image can never be trained on
    // through its duplicate in train.
    await tx.execute(sql`
      update images set
        source_count = images.source_count + linked.n,
        split = greatest(images.split, linked.split)
      from (
        select s.image_id, count(*)::int as n, max(s.declared_split) as split
        from image_sources s
        where s.source = ${source} and s.source_ref = any(${sql.param(sources.map((r) => r.source_ref))}::text[])
        group by s.image_id
      ) as linked
      where images.id = linked.image_id`);

    const labelled = fresh.map((b, i) => ({ ...b, hash: hashes[i] })).filter((b) => b.label !== null);
    await tx.execute(sql`
      insert into annotations (image_id, source, label, client_request_id)
      select images.id, ${source}, t.label, t.request
      from unnest(
        ${sql.param(labelled.map((b) => b.hash))}::text[],
        ${sql.param(labelled.map((b) => b.label))}::smallint[],
        ${sql.param(labelled.map((b) => `import:${source}:${b.sourceRef}`))}::text[]
      ) as t(h, label, request)
      join images on images.content_hash = t.h
      on conflict (client_request_id) do nothing`);
  });
  return outcome;
}

const PROTECTION: Record<Split, number> = { train: 0, val: 1, test: 2 };

function moreProtected(a: Split, b: Split): Split {
  return PROTECTION[a] >= PROTECTION[b] ? a : b;
}
