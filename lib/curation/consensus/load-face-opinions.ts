import { type SQL, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { queryRows } from "../../db/query-rows";
import { NOT_A_FACE } from "../../emotions";
import type { FaceOpinions } from "./face-opinions";

/**
 * Every active face's opinions (or only `imageIds`'): the original labels, FER+ votes and people's labels. Three
 * plain scans joined here by image id rather than one joined query: right after a bulk import the tables have no
 * statistics yet, and a planner guessing a nested loop over 35k faces x 35k labels took minutes; scans cannot.
 */
export async function loadFaceOpinions(db: Database, options: { imageIds?: readonly number[] } = {}): Promise<FaceOpinions[]> {
  const ids = options.imageIds ? sql.param([...options.imageIds]) : null;
  const where = (column: SQL): SQL => (ids ? sql`and ${column} = any(${ids}::int[])` : sql``);
  const images = await queryRows<{ id: number }>(
    db,
    sql`select id from images where status = 'active' ${where(sql`id`)} order by id`,
  );
  const labels = await queryRows<{ image_id: number; annotator_id: string | null; label: number }>(
    db,
    sql`select image_id, annotator_id::text, label from annotations where true ${where(sql`image_id`)} order by image_id, id`,
  );
  const votes = await queryRows<{ image_id: number; counts: number[] }>(
    db,
    // A face in several FER-2013 rows has their FER+ votes summed (the image_votes view).
    sql`select image_id, counts from image_votes where source = 'ferplus' ${where(sql`image_id`)}`,
  );
  const faces = new Map<number, FaceOpinions & { original: number[]; people: { annotatorId: string; label: number }[]; notFace: number }>();
  for (const { id } of images) faces.set(id, { imageId: id, original: [], crowd: null, people: [], notFace: 0 });
  for (const row of labels) {
    const face = faces.get(row.image_id);
    if (!face) continue;
    const label = Number(row.label);
    if (row.annotator_id === null) {
      if (label >= 0) face.original.push(label);
    } else if (label === NOT_A_FACE) face.notFace++;
    else face.people.push({ annotatorId: row.annotator_id, label });
  }
  for (const row of votes) {
    const face = faces.get(row.image_id);
    if (face) face.crowd = row.counts.map(Number);
  }
  return [...faces.values()];
}
