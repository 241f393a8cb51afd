import { type SQL, sql } from "drizzle-orm";

/**
 * Whether an item is served blind (without the model's suggestion) is decided when it is claimed, from a hash of
 * annotator and image: deterministic (a re-served or retried item keeps its choice, tests can predict it), spread
 * evenly, and independent of the queue order. 28 bits of md5("<annotatorId>:<imageId>") against share * 2^28.
 * The SQL half lives here without node:crypto, so the edge-runtime claim route can import it; blind-choice.ts has
 * the same choice in TypeScript.
 */
export const BLIND_BITS = 28;
const BLIND_RANGE = 2 ** BLIND_BITS;

export function blindThreshold(share: number): number {
  return Math.round(Math.min(1, Math.max(0, share)) * BLIND_RANGE);
}

/** The choice in SQL, for the claim statement; `imageId` is the SQL expression of the image id. */
export function blindChoiceSql(annotatorId: string, imageId: SQL, share: number): SQL {
  return sql`(('x' || substr(md5(${annotatorId}::text || ':' || (${imageId})::text), 1, ${BLIND_BITS / 4}))::bit(${sql.raw(
    String(BLIND_BITS),
  )})::int < ${blindThreshold(share)})`;
}
