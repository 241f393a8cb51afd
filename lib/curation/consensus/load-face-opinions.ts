import { type SQL, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { queryRows } from "../../db/query-rows";
import { NOT_A_FACE } from "../../emotions";
import type { FaceOpinions } from "./face-opinions";

interface OpinionRow {
  id: number;
  original: number[] | null;
  people_ids: string[] | null;
  people_labels: number[] | null;
  crowd: number[] | null;
}

/**
 * Every active face's opinions (or only `imageIds`'): the original labels, FER+ votes and people's labels, in one
 * query (annotations aggregated per image, read through annotations_image_idx when ids are given).
 */
export async function loadFaceOpinions(db: Database, options: { imageIds?: readonly number[] } = {}): Promise<FaceOpinions[]> {
  const only: SQL = options.imageIds ? sql`and i.id = any(${sql.param([...options.imageIds])}::int[])` : sql``;
  const onlyAnnotations: SQL = options.imageIds
    ? sql`where image_id = any(${sql.param([...options.imageIds])}::int[])`
    : sql``;
  const rows = await queryRows<OpinionRow>(
    db,
    sql`
    select i.id, a.original, a.people_ids, a.people_labels,
      (select v.counts from vote_counts v where v.image_id = i.id and v.source = 'ferplus' order by v.source_ref limit 1) as crowd
    from images i
    left join (
      select image_id,
        array_agg(label order by id) filter (where annotator_id is null and label >= 0) as original,
        array_agg(annotator_id::text order by id) filter (where annotator_id is not null) as people_ids,
        array_agg(label order by id) filter (where annotator_id is not null) as people_labels
      from annotations ${onlyAnnotations} group by image_id
    ) a on a.image_id = i.id
    where i.status = 'active' ${only}
    order by i.id`,
  );
  return rows.map((row) => {
    const people: { annotatorId: string; label: number }[] = [];
    let notFace = 0;
    (row.people_labels ?? []).forEach((label, k) => {
      if (Number(label) === NOT_A_FACE) notFace++;
      else people.push({ annotatorId: row.people_ids![k], label: Number(label) });
    });
    return {
      imageId: row.id,
      original: (row.original ?? []).map(Number),
      crowd: row.crowd ? row.crowd.map(Number) : null,
      people,
      notFace,
    };
  });
}
