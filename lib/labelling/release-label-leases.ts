import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { queryRows } from "../db/query-rows";

/**
 * Gives back every item the annotator holds, except `keep` (items whose decision the browser is still sending), so
 * others can be served them at once and the annotator's next claim starts from its strategy's own order. Used when
 * the annotator switches strategy: otherwise the held items of the old one would be served first again.
 */
export async function releaseLabelLeases(
  db: Database,
  input: { annotatorId: string; keep: readonly number[] },
): Promise<{ released: number }> {
  const rows = await queryRows<{ released: number }>(
    db,
    sql`
    with released as (
      delete from label_leases
      where annotator_id = ${input.annotatorId}::uuid and expires_at > now()
        and image_id <> all(${`{${input.keep.map((id) => Math.trunc(id)).join(",")}}`}::int[])
      returning image_id
    )
    select count(*)::int as released from released`,
  );
  return { released: Number(rows[0]?.released ?? 0) };
}
