import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { queryRows } from "../db/query-rows";
import { LabellingError } from "./labelling-error";

export interface UndoneAnnotation {
  imageId: number;
  /** Until when the image is held for the annotator again, or null when someone else holds it meanwhile. */
  leaseExpiresAt: Date | null;
}

/**
 * Deletes one of the annotator's own labels (by its clientRequestId) and leases the image back to them, so the
 * item is theirs to label again and nobody else takes it meanwhile. 404 for an unknown id or someone else's label.
 */
export async function undoAnnotation(
  db: Database,
  input: { annotatorId: string; clientRequestId: string; leaseSeconds: number },
): Promise<UndoneAnnotation> {
  const rows = await queryRows<{ image_id: number; expires_at: Date | string | null }>(
    db,
    sql`
    with removed as (
      delete from annotations
      where client_request_id = ${input.clientRequestId} and annotator_id = ${input.annotatorId}::uuid
      returning image_id, blind
    ),
    leased as (
      insert into label_leases as l (image_id, annotator_id, expires_at, blind)
      select image_id, ${input.annotatorId}::uuid, now() + make_interval(secs => ${input.leaseSeconds}), blind from removed
      on conflict (image_id) do update
        set annotator_id = excluded.annotator_id, expires_at = excluded.expires_at, blind = excluded.blind
        where l.expires_at <= now() or l.annotator_id = excluded.annotator_id
      returning image_id, expires_at
    ),
    unskipped as (
      delete from label_skips s using removed
      where s.annotator_id = ${input.annotatorId}::uuid and s.image_id = removed.image_id
    )
    select r.image_id, l.expires_at from removed r left join leased l on l.image_id = r.image_id`,
  );
  const row = rows[0];
  if (!row) throw new LabellingError(404, `you have no label saved with clientRequestId ${input.clientRequestId}`);
  return { imageId: row.image_id, leaseExpiresAt: row.expires_at === null ? null : new Date(row.expires_at) };
}
