import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { queryRows } from "../db/query-rows";
import type { FerPlusRecord } from "../datasets/types";
import { FERPLUS_COLUMNS, ferPlusVotesToCanonical } from "../emotions";

const NOT_FACE_COLUMN = FERPLUS_COLUMNS.indexOf("NF");
export const FERPLUS_SOURCE = "ferplus";
/** FER+ rows are aligned with FER-2013 rows: vote row i belongs to the image of fer2013.csv row i. */
export const FER2013_SOURCE = "fer2013";

export interface VoteBatchOutcome {
  votesAdded: number;
  alreadyImported: number;
  markedNotFace: number;
  /** Rows whose FER-2013 row has not been imported (yet). */
  missingImages: FerPlusRecord[];
}

/** Stores one batch of FER+ vote rows in one transaction and marks not-a-face majorities. */
export async function writeVoteBatch(db: Database, batch: readonly FerPlusRecord[], importJobId: number): Promise<VoteBatchOutcome> {
  const outcome: VoteBatchOutcome = { votesAdded: 0, alreadyImported: 0, markedNotFace: 0, missingImages: [] };
  if (batch.length === 0) return outcome;
  const refs = batch.map((r) => fer2013RowRef(r.row));
  const found = await queryRows<{ source_ref: string; image_id: number }>(db, 
    sql`select source_ref, image_id from image_sources where source = ${FER2013_SOURCE} and source_ref = any(${sql.param(refs)}::text[])`,
  );
  const imageByRef = new Map(found.map((r) => [r.source_ref, r.image_id]));
  const rows = batch.filter((record, i) => {
    if (imageByRef.has(refs[i])) return true;
    outcome.missingImages.push(record);
    return false;
  });
  if (rows.length === 0) return outcome;

  await db.transaction(async (tx) => {
    const inserted = await queryRows<{ image_id: number; not_face: boolean }>(tx, sql`
      insert into vote_counts (image_id, source, source_ref, counts, raw_counts, not_face_votes, total_votes, import_job_id)
      select t.image_id, ${FERPLUS_SOURCE}, t.ref, string_to_array(t.counts, ',')::smallint[],
             string_to_array(t.raw, ',')::smallint[], t.nf, t.total, ${importJobId}
      from unnest(
        ${sql.param(rows.map((r) => imageByRef.get(fer2013RowRef(r.row))!))}::int[],
        ${sql.param(rows.map((r) => fer2013RowRef(r.row)))}::text[],
        ${sql.param(rows.map((r) => ferPlusVotesToCanonical(r.votes).join(",")))}::text[],
        ${sql.param(rows.map((r) => r.votes.join(",")))}::text[],
        ${sql.param(rows.map((r) => r.votes[NOT_FACE_COLUMN]))}::smallint[],
        ${sql.param(rows.map((r) => r.votes.reduce((a, b) => a + b, 0)))}::smallint[]
      ) as t(image_id, ref, counts, raw, nf, total)
      on conflict (source, source_ref) do nothing
      returning image_id, (not_face_votes * 2 > total_votes) as not_face`);
    outcome.votesAdded = inserted.length;
    outcome.alreadyImported = rows.length - inserted.length;
    const notFace = inserted.filter((r) => r.not_face).map((r) => r.image_id);
    if (notFace.length > 0) {
      const marked = await queryRows<{ id: number }>(
        tx,
        sql`update images set status = 'not_face' where id = any(${sql.param(notFace)}::int[]) and status = 'active' returning id`,
      );
      outcome.markedNotFace = marked.length;
    }
  });
  return outcome;
}

export function fer2013RowRef(row: number): string {
  return `row ${row}`;
}
