import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { queryRows } from "../db/query-rows";
import { LabellingError, postgresError } from "./labelling-error";

/** The `source` of annotations people make (imports use the dataset's name, with no annotator). */
export const PEOPLE_SOURCE = "annotator";

export interface NewAnnotation {
  annotatorId: string;
  /** The browser's id for this decision: saving is idempotent by it. */
  clientRequestId: string;
  imageId: number;
  /** Canonical class 0..6, or -1 for "not a face". */
  label: number;
  durationMs: number | null;
  /** What the model suggested, as the browser showed it; dropped for a blind item (the lease says which are). */
  suggestedLabel: number | null;
  suggestionModelVersionId: number | null;
}

export interface SaveRules {
  /** LABEL_OVERLAP: an image takes at most this many people's labels. */
  overlap: number;
}

export interface SavedAnnotation {
  annotationId: number;
  /** True when this clientRequestId had been saved before: nothing was written this time. */
  duplicate: boolean;
}

/**
 * Saves one person's label and releases their lease on the image, in one statement. Accepted only for an active
 * image the annotator holds (their lease, or their expired lease that nobody has taken over: the lease row still
 * names them) and that has fewer than `overlap` people's labels; otherwise a 409 with the reason, and nothing is
 * written. Whether the item was blind comes from the lease (the server decided it when the item was claimed), never
 * from the browser; a blind item's label is stored without a suggestion.
 * A retry of the same request (same clientRequestId, annotator, image and label) answers the first save's id with
 * `duplicate: true`; the unique indexes on client_request_id and (annotator_id, image_id) make that hold under
 * concurrency, so a label is never doubled. The same clientRequestId with anything else, or a second label for an
 * image the annotator already labelled, is a 409 (undo first).
 */
export async function saveAnnotation(db: Database, input: NewAnnotation, rules: SaveRules): Promise<SavedAnnotation> {
  // Two tries: a conflicting row can vanish between the insert and the lookup (an undo in between).
  for (let attempt = 0; attempt < 2; attempt++) {
    const inserted = await insertAnnotation(db, input, rules);
    if (inserted !== null) return { annotationId: inserted, duplicate: false };
    const existing = await findConflict(db, input);
    if (existing) return existing;
    const refusal = await whyRefused(db, input, rules);
    if (refusal) throw refusal;
  }
  throw new LabellingError(409, "the label was changed by another request at the same time; try again");
}

async function insertAnnotation(db: Database, input: NewAnnotation, rules: SaveRules): Promise<number | null> {
  try {
    const rows = await queryRows<{ id: number }>(
      db,
      sql`
      with held as (
        select l.blind from label_leases l join images i on i.id = l.image_id
        where l.image_id = ${input.imageId} and l.annotator_id = ${input.annotatorId}::uuid
          and i.status = 'active' and i.people_label_count < ${rules.overlap}
      ),
      inserted as (
        insert into annotations (image_id, annotator_id, source, label, duration_ms, suggested_label,
                                 suggestion_model_version_id, blind, client_request_id)
        select ${input.imageId}, ${input.annotatorId}::uuid, ${PEOPLE_SOURCE}, ${input.label}, ${input.durationMs},
               case when held.blind then null else ${input.suggestedLabel}::smallint end,
               case when held.blind then null else ${input.suggestionModelVersionId}::int end,
               held.blind, ${input.clientRequestId}
        from held
        on conflict do nothing
        returning id, image_id
      ),
      released as (
        delete from label_leases l using inserted
        where l.image_id = inserted.image_id and l.annotator_id = ${input.annotatorId}::uuid
      )
      select id from inserted`,
    );
    return rows[0] ? Number(rows[0].id) : null;
  } catch (error) {
    const pg = postgresError(error);
    if (pg?.code === "23503" && pg.constraint?.includes("suggestion_model_version")) {
      throw new LabellingError(400, `no model version ${input.suggestionModelVersionId}`);
    }
    if (pg?.code === "23503") throw new LabellingError(404, `no image ${input.imageId}`);
    throw error;
  }
}

/** Why nothing was written, when it was not a conflict with an earlier save. */
async function whyRefused(db: Database, input: NewAnnotation, rules: SaveRules): Promise<LabellingError | null> {
  const [row] = await queryRows<{ status: string; people: number; holder: string | null; held_until: Date | string | null }>(
    db,
    sql`select i.status, i.people_label_count as people, l.annotator_id as holder, l.expires_at as held_until
        from images i left join label_leases l on l.image_id = i.id where i.id = ${input.imageId}`,
  );
  if (!row) return new LabellingError(404, `no image ${input.imageId}`);
  if (row.status !== "active") {
    return new LabellingError(409, `image ${input.imageId} is no longer in the labelling set (${row.status.replace("_", " ")}); nothing was saved`);
  }
  if (row.holder !== input.annotatorId) {
    const someoneElse = row.holder !== null && new Date(row.held_until!).getTime() > Date.now();
    return new LabellingError(
      409,
      someoneElse
        ? `image ${input.imageId} is held by another annotator now; nothing was saved`
        : `you do not hold image ${input.imageId} (it was not served to you, or you skipped or saved it, or your hold passed to someone else); nothing was saved`,
    );
  }
  if (row.people >= rules.overlap) {
    return new LabellingError(409, `image ${input.imageId} already has its ${rules.overlap} labels; nothing was saved`);
  }
  return null;
}

async function findConflict(db: Database, input: NewAnnotation): Promise<SavedAnnotation | null> {
  const rows = await queryRows<{ id: number; annotator_id: string | null; image_id: number; label: number; by: "request" | "image" }>(
    db,
    sql`
    select id, annotator_id, image_id, label, 'request' as by from annotations where client_request_id = ${input.clientRequestId}
    union all
    select id, annotator_id, image_id, label, 'image' as by from annotations
    where annotator_id = ${input.annotatorId}::uuid and image_id = ${input.imageId}`,
  );
  const sameRequest = rows.find((r) => r.by === "request");
  if (sameRequest) {
    if (
      sameRequest.annotator_id === input.annotatorId &&
      sameRequest.image_id === input.imageId &&
      Number(sameRequest.label) === input.label
    ) {
      return { annotationId: Number(sameRequest.id), duplicate: true };
    }
    throw new LabellingError(409, `clientRequestId ${input.clientRequestId} was already used for another label`);
  }
  const sameImage = rows.find((r) => r.by === "image");
  if (sameImage) {
    throw new LabellingError(409, `you already labelled image ${input.imageId}; undo that label to change it`);
  }
  return null;
}
