import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { queryRows } from "../../db/query-rows";
import type { Split } from "../../datasets/types";
import { NUM_EMOTIONS } from "../../emotions";
import type { LabelledImage } from "../load-labelled-set";
import { getConsensusLabels } from "./get-consensus-labels";
import type { ConsensusMethod } from "./face-opinions";

/**
 * A split's faces labelled by a stored consensus method (the "dawid-skene" label policy): the consensus label as a
 * one-hot target; faces the method gives no label are left out.
 */
export async function loadConsensusSet(db: Database, split: Split, method: ConsensusMethod): Promise<LabelledImage[]> {
  const labels = await getConsensusLabels(db, method, { split });
  const locations = await queryRows<{ id: number; storage_key: string; storage_offset: number }>(
    db,
    sql`select id, storage_key, storage_offset from images where split = ${split} and status = 'active' order by id`,
  );
  const where = new Map(locations.map((l) => [l.id, l]));
  const out: LabelledImage[] = [];
  for (const c of labels) {
    const location = where.get(c.imageId);
    if (c.label === null || !location) continue;
    const target = new Array<number>(NUM_EMOTIONS).fill(0);
    target[c.label] = 1;
    out.push({ imageId: c.imageId, storageKey: location.storage_key, storageOffset: location.storage_offset, label: c.label, target });
  }
  return out;
}
