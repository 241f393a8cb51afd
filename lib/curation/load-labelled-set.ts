import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { queryRows } from "../db/query-rows";
import type { Split } from "../datasets/types";
import type { FaceLocation } from "../images/face-shards";
import { loadConsensusSet } from "./consensus/load-consensus-set";
import { type LabelPolicy, resolveLabel } from "./label-policy";

export interface LabelledImage extends FaceLocation {
  imageId: number;
  label: number;
  target: number[];
}

/**
 * The images of one split with their labels under a policy: active images only (not-a-face and rejected ones are
 * out), one query for the whole split. Each image once: a face that several source rows share has its sources'
 * labels together and their FER+ votes summed (the `image_votes` view, migration 0012).
 */
export async function loadLabelledSet(db: Database, split: Split, policy: LabelPolicy): Promise<LabelledImage[]> {
  if (policy === "dawid-skene") return loadConsensusSet(db, split, "dawid-skene");
  const rows = await queryRows<{
    id: number;
    storage_key: string;
    storage_offset: number;
    original: number[] | null;
    people: number[] | null;
    votes: number[] | null;
  }>(
    db,
    sql`
    select i.id, i.storage_key, i.storage_offset, a.original, a.people, v.counts as votes
    from images i
    left join (
      select image_id,
        array_agg(label order by id) filter (where annotator_id is null) as original,
        array_agg(label order by id) filter (where annotator_id is not null) as people
      from annotations group by image_id
    ) a on a.image_id = i.id
    left join image_votes v on v.image_id = i.id and v.source = 'ferplus'
    where i.split = ${split} and i.status = 'active'
    order by i.id`,
  );
  const out: LabelledImage[] = [];
  for (const row of rows) {
    const resolved = resolveLabel({ original: row.original ?? [], people: row.people ?? [], votes: row.votes }, policy);
    if (!resolved) continue;
    out.push({
      imageId: row.id,
      storageKey: row.storage_key,
      storageOffset: row.storage_offset,
      label: resolved.label,
      target: resolved.target,
    });
  }
  return out;
}

export type { LabelPolicy };
