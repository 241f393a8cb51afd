import { type SQL, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { queryRows } from "../db/query-rows";
import type { Split } from "../datasets/types";
import { readFaceSpans } from "../images/face-shards";
import type { ObjectStore } from "../storage/object-store";

/** One member of a snapshot, as frozen when it was made. */
export interface SnapshotItem {
  position: number;
  imageId: number;
  /** SHA-256 of the 2304 pixel bytes. */
  contentHash: string;
  storageKey: string;
  storageOffset: number;
  split: Split;
  label: number;
  confidence: number | null;
  target: number[] | null;
  originalLabel: number | null;
  notFace: boolean;
  /** FER+ votes in FER+'s column order. */
  crowdVotes: number[] | null;
  /** People's labels per canonical class, then not-a-face. */
  peopleVotes: number[];
  sources: string[];
}

/** What the image files need of an item (fer2013.csv, the folder zips): where its pixels are and what it is. */
export type SnapshotFace = Pick<
  SnapshotItem,
  "position" | "imageId" | "storageKey" | "storageOffset" | "split" | "label"
>;

export interface SnapshotBatch {
  items: SnapshotFace[];
  /** Pixels of each item, same order. */
  pixels: Uint8Array[];
}

/** A snapshot's items in file order, a batch at a time (keyset on position, so memory stays flat). */
export function readSnapshotItems(db: Database, snapshotId: number, batchSize = 2048): AsyncGenerator<SnapshotItem[]> {
  const columns = sql`position, image_id, content_hash, storage_key, storage_offset, split, label, confidence, target,
                      original_label, not_face, crowd_votes, people_votes, sources`;
  return readPages(db, snapshotId, batchSize, columns, toItem);
}

/** Just the columns the image files need (the votes, sources and targets cost as much to read as the rest). */
function readSnapshotFaces(db: Database, snapshotId: number, batchSize: number): AsyncGenerator<SnapshotFace[]> {
  const columns = sql`position, image_id, storage_key, storage_offset, split, label`;
  return readPages(db, snapshotId, batchSize, columns, toFace);
}

async function* readPages<T extends { position: number }>(
  db: Database,
  snapshotId: number,
  batchSize: number,
  columns: SQL,
  toRow: (row: Record<string, unknown>) => T,
): AsyncGenerator<T[]> {
  let after = -1;
  for (;;) {
    const rows = await queryRows<Record<string, unknown>>(
      db,
      sql`select ${columns} from dataset_snapshot_items
          where snapshot_id = ${snapshotId} and position > ${after}
          order by position limit ${batchSize}`,
    );
    if (rows.length === 0) return;
    const page = rows.map(toRow);
    after = page[page.length - 1].position;
    yield page;
  }
}

/** Faces with their pixels; the next batch is fetched while the caller works on this one. */
export async function* readSnapshotBatches(
  db: Database,
  store: ObjectStore,
  snapshotId: number,
  batchSize = 2048,
): AsyncGenerator<SnapshotBatch> {
  const items = readSnapshotFaces(db, snapshotId, batchSize);
  const fetchNext = async (): Promise<SnapshotBatch | null> => {
    const next = await items.next();
    if (next.done) return null;
    return { items: next.value, pixels: await readFaceSpans(store, next.value) };
  };
  let pending = fetchNext();
  // Handled here so a prefetch failing while the caller works is not an unhandled rejection; awaiting still throws.
  pending.catch(() => null);
  try {
    for (;;) {
      const batch = await pending;
      if (!batch) return;
      pending = fetchNext();
      pending.catch(() => null);
      yield batch;
    }
  } finally {
    // Settle a prefetch still in flight so it cannot reject unobserved when the consumer stops early.
    await pending.catch(() => null);
    await items.return(undefined);
  }
}

function toFace(row: Record<string, unknown>): SnapshotFace {
  return {
    position: row.position as number,
    imageId: row.image_id as number,
    storageKey: row.storage_key as string,
    storageOffset: row.storage_offset as number,
    split: row.split as Split,
    label: row.label as number,
  };
}

function toItem(row: Record<string, unknown>): SnapshotItem {
  return {
    ...toFace(row),
    contentHash: row.content_hash as string,
    confidence: row.confidence as number | null,
    target: row.target as number[] | null,
    originalLabel: row.original_label as number | null,
    notFace: row.not_face as boolean,
    crowdVotes: row.crowd_votes as number[] | null,
    peopleVotes: row.people_votes as number[],
    sources: row.sources as string[],
  };
}
