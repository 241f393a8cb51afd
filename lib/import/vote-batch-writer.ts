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
  /** Rows that do not match the image they name or sit beside (another Usage, a malformed name). */
  mismatched: { record: FerPlusRecord; reason: string }[];
}

const IMAGE_NAME = /^fer(\d{7})\.png$/;

/**
 * Checks each FER+ row's `Image name` for its form only. The name is not a row index: FER+ names only the rows it
 * kept, and its numbers drift from the row positions (by 71 at the end of Training in ../shared/fer2013). Measured on
 * the 32,083 named rows whose number differs from their position, the FER+ majority agrees with the FER-2013 label of
 * the row at the same position on 62.9 % of them (FER+'s known agreement) and with the row the name's number points to
 * on 18.2 % (chance): rows line up by position, as FER+'s own scripts read them.
 */
export function checkImageName(record: FerPlusRecord): string | null {
  if (record.imageName === null || IMAGE_NAME.test(record.imageName)) return null;
  return `Image name "${record.imageName.slice(0, 40)}" is not of the form fer0000123.png`;
}

/**
 * Stores one batch of FER+ vote rows in one transaction and marks not-a-face majorities. FER+ rows line up with
 * FER-2013 rows by position (row i belongs to the image of fer2013.csv row i, named or not); each is checked against
 * that row (same Usage), so a shifted or foreign file cannot put votes on the wrong faces. Where several FER-2013
 * files were imported, rows refer to the first one.
 */
export async function writeVoteBatch(
  db: Database,
  batch: readonly FerPlusRecord[],
  importJobId: number,
): Promise<VoteBatchOutcome> {
  const outcome: VoteBatchOutcome = {
    votesAdded: 0,
    alreadyImported: 0,
    markedNotFace: 0,
    missingImages: [],
    mismatched: [],
  };
  if (batch.length === 0) return outcome;
  const found = await queryRows<{ source_row: number; image_id: number; declared_split: string }>(
    db,
    sql`
    select distinct on (source_row) source_row, image_id, declared_split from image_sources
    where source = ${FER2013_SOURCE} and source_row = any(${sql.param(batch.map((record) => record.row))}::int[])
    order by source_row, import_job_id nulls first, id`,
  );
  const imageByRow = new Map(found.map((r) => [r.source_row, r]));
  const rows: { record: FerPlusRecord; target: number; imageId: number }[] = [];
  for (const record of batch) {
    const target = record.row;
    const image = imageByRow.get(target);
    if (!image) outcome.missingImages.push(record);
    else if (image.declared_split !== record.split) {
      const reason = `its Usage (${record.split}) differs from FER-2013 row ${target} (${image.declared_split}): the files do not line up`;
      outcome.mismatched.push({ record, reason });
    } else rows.push({ record, target, imageId: image.image_id });
  }
  if (rows.length === 0) return outcome;

  await db.transaction(async (tx) => {
    const inserted = await queryRows<{ image_id: number }>(
      tx,
      sql`
      insert into vote_counts (image_id, source, source_ref, counts, raw_counts, not_face_votes, total_votes, import_job_id)
      select t.image_id, ${FERPLUS_SOURCE}, t.ref, string_to_array(t.counts, ',')::smallint[],
             string_to_array(t.raw, ',')::smallint[], t.nf, t.total, ${importJobId}
      from unnest(
        ${sql.param(rows.map((r) => r.imageId))}::int[],
        ${sql.param(rows.map((r) => fer2013RowRef(r.target)))}::text[],
        ${sql.param(rows.map((r) => ferPlusVotesToCanonical(r.record.votes).join(",")))}::text[],
        ${sql.param(rows.map((r) => r.record.votes.join(",")))}::text[],
        ${sql.param(rows.map((r) => r.record.votes[NOT_FACE_COLUMN]))}::smallint[],
        ${sql.param(rows.map((r) => r.record.votes.reduce((a, b) => a + b, 0)))}::smallint[]
      ) as t(image_id, ref, counts, raw, nf, total)
      on conflict (source, source_ref) do nothing
      returning image_id`,
    );
    outcome.votesAdded = inserted.length;
    outcome.alreadyImported = rows.length - inserted.length;
    // Decided on the image's votes summed over all its rows (a duplicate face has several), not on one row's.
    const touched = [...new Set(inserted.map((r) => r.image_id))];
    if (touched.length > 0) {
      const marked = await queryRows<{ id: number }>(
        tx,
        sql`update images set status = 'not_face'
            from image_votes v
            where images.id = any(${sql.param(touched)}::int[]) and images.status = 'active'
              and v.image_id = images.id and v.source = ${FERPLUS_SOURCE} and v.not_face_votes * 2 > v.total_votes
            returning images.id`,
      );
      outcome.markedNotFace = marked.length;
    }
  });
  return outcome;
}

export function fer2013RowRef(row: number): string {
  return `row ${row}`;
}
