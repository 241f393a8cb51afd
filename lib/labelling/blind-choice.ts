import { createHash } from "node:crypto";
import { BLIND_BITS, blindThreshold } from "./blind-choice-sql";

export { blindChoiceSql } from "./blind-choice-sql";

/** The blind choice (see blind-choice-sql.ts) computed in TypeScript: md5("<annotatorId>:<imageId>")'s first 28 bits. */
export function isBlindItem(annotatorId: string, imageId: number, share: number): boolean {
  const bucket = parseInt(
    createHash("md5")
      .update(`${annotatorId}:${imageId}`)
      .digest("hex")
      .slice(0, BLIND_BITS / 4),
    16,
  );
  return bucket < blindThreshold(share);
}
