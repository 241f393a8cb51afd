import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { queryRows } from "../db/query-rows";
import { LabellingError, postgresError } from "./labelling-error";

/**
 * The annotator passes on an item: their lease is released (others may get it at once) and the item is not served
 * to them again until their lease would have ended (a full lease period when they held none). Their expired skips
 * are cleared on the way.
 */
export async function skipLabelItem(
  db: Database,
  input: { annotatorId: string; imageId: number; leaseSeconds: number },
): Promise<{ skippedUntil: Date }> {
  try {
    const [row] = await queryRows<{ expires_at: Date | string }>(
      db,
      sql`
      with released as (
        delete from label_leases
        where image_id = ${input.imageId} and annotator_id = ${input.annotatorId}::uuid and expires_at > now()
        returning expires_at
      ),
      skipped as (
        insert into label_skips (annotator_id, image_id, expires_at)
        values (${input.annotatorId}::uuid, ${input.imageId},
                coalesce((select expires_at from released), now() + make_interval(secs => ${input.leaseSeconds})))
        on conflict (annotator_id, image_id) do update set expires_at = greatest(label_skips.expires_at, excluded.expires_at)
        returning expires_at
      ),
      cleared as (
        delete from label_skips
        where annotator_id = ${input.annotatorId}::uuid and expires_at <= now() and image_id <> ${input.imageId}
      )
      select expires_at from skipped`,
    );
    return { skippedUntil: new Date(row.expires_at) };
  } catch (error) {
    if (postgresError(error)?.code === "23503") throw new LabellingError(404, `no image ${input.imageId}`);
    throw error;
  }
}
