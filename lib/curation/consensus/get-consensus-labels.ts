import { type SQL, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { queryRows } from "../../db/query-rows";
import type { Split } from "../../datasets/types";
import type { ConsensusMethod } from "./face-opinions";
import { refreshConsensus } from "./refresh-consensus";

export interface ConsensusLabel {
  imageId: number;
  /** Canonical class, or null when the method gives the face none (nobody labelled it, or judged not a face). */
  label: number | null;
  confidence: number;
  method: ConsensusMethod;
  /** Probability per canonical class (vote shares, or Dawid-Skene's posterior). */
  distribution: number[];
}

/**
 * The consensus label of every active face (or of one split, or of `imageIds`) under a method: "majority",
 * "dawid-skene" or "soft". Up to date with every label saved so far (refreshes changed faces first). Ordered by
 * image id. The one read API for consensus: label policies, snapshots and the quality page use it.
 */
export async function getConsensusLabels(
  db: Database,
  method: ConsensusMethod,
  options: { split?: Split; imageIds?: readonly number[] } = {},
): Promise<ConsensusLabel[]> {
  await refreshConsensus(db);
  const filters: SQL[] = [sql`c.method = ${method}`, sql`i.status = 'active'`];
  if (options.split) filters.push(sql`i.split = ${options.split}`);
  if (options.imageIds) filters.push(sql`c.image_id = any(${sql.param([...options.imageIds])}::int[])`);
  const rows = await queryRows<{ image_id: number; label: number | null; confidence: number; distribution: number[] }>(
    db,
    sql`select c.image_id, c.label, c.confidence, c.distribution from consensus_labels c
        join images i on i.id = c.image_id
        where ${sql.join(filters, sql` and `)} order by c.image_id`,
  );
  return rows.map((r) => ({
    imageId: r.image_id,
    label: r.label === null ? null : Number(r.label),
    confidence: Number(r.confidence),
    method,
    distribution: r.distribution.map(Number),
  }));
}
