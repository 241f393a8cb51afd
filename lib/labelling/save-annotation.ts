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
  suggestedLabel: number | null;
  suggestionModelVersionId: number | null;
  blind: boolean;
}

export interface SavedAnnotation {
  annotationId: number;
  /** True when this clientRequestId had been saved before: nothing was written this time. */
  duplicate: boolean;
}

/**
 * Saves one person's label and releases their lease on the image, in one statement. A retry of the same request
 * (same clientRequestId, same annotator and image) answers the first save's id with `duplicate: true`; the unique
 * indexes on client_request_id and (annotator_id, image_id) make that hold under concurrency, so a label is never
 * doubled. A second, different request for an image the annotator already labelled is a 409 (undo first).
 * A save is accepted even after the lease expired: the person did the work.
 */
export async function saveAnnotation(db: Database, input: NewAnnotation): Promise<SavedAnnotation> {
  // Two tries: a conflicting row can vanish between the insert and the lookup (an undo in between).
  for (let attempt = 0; attempt < 2; attempt++) {
    const inserted = await insertAnnotation(db, input);
    if (inserted !== null) return { annotationId: inserted, duplicate: false };
    const existing = await findConflict(db, input);
    if (existing) return existing;
  }
  throw new LabellingError(409, "the label was changed by another request at the same time; try again");
}

async function insertAnnotation(db: Database, input: NewAnnotation): Promise<number | null> {
  try {
    const rows = await queryRows<{ id: number }>(
      db,
      sql`
      with inserted as (
        insert into annotations (image_id, annotator_id, source, label, duration_ms, suggested_label,
                                 suggestion_model_version_id, blind, client_request_id)
        values (${input.imageId}, ${input.annotatorId}::uuid, ${PEOPLE_SOURCE}, ${input.label}, ${input.durationMs},
                ${input.suggestedLabel}, ${input.suggestionModelVersionId}, ${input.blind}, ${input.clientRequestId})
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

async function findConflict(db: Database, input: NewAnnotation): Promise<SavedAnnotation | null> {
  const rows = await queryRows<{ id: number; annotator_id: string | null; image_id: number; by: "request" | "image" }>(
    db,
    sql`
    select id, annotator_id, image_id, 'request' as by from annotations where client_request_id = ${input.clientRequestId}
    union all
    select id, annotator_id, image_id, 'image' as by from annotations
    where annotator_id = ${input.annotatorId}::uuid and image_id = ${input.imageId}`,
  );
  const sameRequest = rows.find((r) => r.by === "request");
  if (sameRequest) {
    if (sameRequest.annotator_id === input.annotatorId && sameRequest.image_id === input.imageId) {
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
