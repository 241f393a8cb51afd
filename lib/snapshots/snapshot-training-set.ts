import { sql } from "drizzle-orm";
import { oneHot } from "../curation/label-policy";
import type { LabelledImage } from "../curation/load-labelled-set";
import type { Database } from "../db/client";
import { queryRows } from "../db/query-rows";
import type { Split } from "../datasets/types";
import { NUM_EMOTIONS } from "../emotions";
import { ZSnapshotFilter, type LabelMethod } from "./snapshot-filter";

/** What a training run records about the snapshot it trained on. */
export interface SnapshotReference {
  id: number;
  version: number;
  name: string;
  labelMethod: LabelMethod;
}

/** The snapshot a run names, or a message a person understands when it cannot be trained on. */
export async function describeSnapshotForTraining(
  db: Database,
  snapshotId: number,
): Promise<SnapshotReference | { error: string }> {
  const [row] = await queryRows<{ id: number; version: number; name: string; filter: unknown }>(
    db,
    sql`select id, version, name, filter from dataset_snapshots where id = ${snapshotId}`,
  );
  if (!row) return { error: `there is no dataset snapshot ${snapshotId}` };
  const filter = ZSnapshotFilter.parse(row.filter);
  if (!filter.splits.includes("train")) {
    return { error: `snapshot v${row.version} (${row.name}) has no train split to train on` };
  }
  return { id: row.id, version: row.version, name: row.name, labelMethod: filter.labelMethod };
}

/**
 * One split of a snapshot as training data: its faces with the labels frozen into it (and the vote distribution for
 * the soft method), in the snapshot's file order. Labels people give after the snapshot was made change nothing.
 */
export async function loadSnapshotLabelledSet(
  db: Database,
  snapshotId: number,
  split: Split,
): Promise<LabelledImage[]> {
  const rows = await queryRows<{
    image_id: number;
    storage_key: string;
    storage_offset: number;
    label: number;
    target: number[] | null;
  }>(
    db,
    sql`select image_id, storage_key, storage_offset, label, target
        from dataset_snapshot_items
        where snapshot_id = ${snapshotId} and split = ${split}
        order by position`,
  );
  return rows.map((row) => ({
    imageId: row.image_id,
    storageKey: row.storage_key,
    storageOffset: row.storage_offset,
    label: row.label,
    target: row.target && row.target.length === NUM_EMOTIONS ? row.target.map(Number) : oneHot(row.label).target,
  }));
}
