import { createHash } from "node:crypto";

/**
 * What a model was trained or measured on, comparable across versions: how many (image, label) pairs, and a hash of
 * them in image order. Two versions share a val fingerprint exactly when they were selected on the same faces with
 * the same labels.
 */
export interface DataFingerprint {
  count: number;
  /** sha256 of "imageId:label\n" lines sorted by image id. */
  sha256: string;
}

export function dataFingerprint(imageIds: readonly number[], labels: ArrayLike<number>): DataFingerprint {
  if (imageIds.length !== labels.length) throw new Error("one label per image is needed for a fingerprint");
  const order = imageIds.map((_, i) => i).sort((a, b) => imageIds[a] - imageIds[b]);
  const hash = createHash("sha256");
  for (const i of order) hash.update(`${imageIds[i]}:${labels[i]}\n`);
  return { count: imageIds.length, sha256: hash.digest("hex") };
}

export function sameFingerprint(a: DataFingerprint | null | undefined, b: DataFingerprint | null | undefined): boolean {
  return !!a && !!b && a.count === b.count && a.sha256 === b.sha256;
}
