import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { queryRows } from "../../db/query-rows";
import { STORED_DAWID_SKENE } from "./consensus-settings";
import { faceDawidSkene } from "./face-dawid-skene";
import type { FaceConsensus } from "./face-opinions";
import { loadFaceOpinions } from "./load-face-opinions";
import { majorityVote } from "./majority-vote";
import { loadDawidSkeneModel, recomputeConsensus } from "./recompute-consensus";
import { softDistribution } from "./soft-distribution";
import { writeConsensus } from "./write-consensus";

/** Beyond this many changed faces, a full recompute (which also refits Dawid-Skene) is as cheap and better. */
const INCREMENTAL_LIMIT = 5000;

/**
 * Brings the stored consensus up to date with the labels: faces marked dirty since the last computation get majority
 * and soft recomputed and their Dawid-Skene posterior from the stored model (its confusion matrices are refitted by
 * the next full recompute); with no stored model yet, or too many changes, a full recompute. Returns how many faces
 * it refreshed.
 */
export async function refreshConsensus(db: Database): Promise<number> {
  const model = await loadDawidSkeneModel(db);
  const [{ dirty }] = await queryRows<{ dirty: number }>(db, sql`select count(*)::int as dirty from consensus_dirty`);
  if (!model || dirty > INCREMENTAL_LIMIT) return (await recomputeConsensus(db)).faces;
  if (dirty === 0) return 0;
  const marks = await queryRows<{ image_id: number; marked_at: string }>(
    db,
    sql`select image_id, marked_at::text from consensus_dirty order by image_id`,
  );
  const ids = marks.map((m) => m.image_id);
  const faces = await loadFaceOpinions(db, { imageIds: ids });
  const rows: FaceConsensus[] = [];
  for (const face of faces) rows.push(majorityVote(face), softDistribution(face));
  rows.push(...faceDawidSkene(faces, { ...STORED_DAWID_SKENE, model }).consensus);
  await db.transaction(async (tx) => {
    // Faces no longer active (judged not a face, rejected) have no consensus.
    await tx.execute(sql`delete from consensus_labels where image_id = any(${sql.param(ids)}::int[])`);
    await writeConsensus(tx, rows);
    // A mark made after we read it stays, so the next refresh sees that change.
    await tx.execute(sql`
      delete from consensus_dirty d using unnest(${sql.param(ids)}::int[], ${sql.param(marks.map((m) => m.marked_at))}::timestamptz[]) as m(id, at)
      where d.image_id = m.id and d.marked_at <= m.at`);
  });
  return faces.length;
}
