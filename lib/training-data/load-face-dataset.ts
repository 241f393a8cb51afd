import type { LabelPolicy } from "../curation/label-policy";
import { loadLabelledSet } from "../curation/load-labelled-set";
import type { Database } from "../db/client";
import type { Split } from "../datasets/types";
import { NUM_EMOTIONS } from "../emotions";
import { FACE_PIXELS } from "../images/face-format";
import { readFaces } from "../images/face-shards";
import { loadSnapshotLabelledSet } from "../snapshots/snapshot-training-set";
import type { ObjectStore } from "../storage/object-store";
import { createFaceDataset, type FaceDataset } from "../training/face-dataset";

export interface LoadedSplit {
  dataset: FaceDataset;
  imageIds: number[];
}

/** Where a split's labels come from: the live curated set under a label policy, or a frozen dataset snapshot. */
export type LabelSource = { policy: LabelPolicy } | { snapshotId: number; soft: boolean };

/**
 * One split as an in-memory dataset: labels from the database (under a policy, or as a snapshot froze them), pixels
 * from S3 in one GET per shard (a few GETs for all of FER-2013, not one per face).
 */
export async function loadFaceDataset(
  db: Database,
  store: ObjectStore,
  split: Split,
  source: LabelSource,
  options: { limit?: number } = {},
): Promise<LoadedSplit> {
  let items =
    "policy" in source
      ? await loadLabelledSet(db, split, source.policy)
      : await loadSnapshotLabelledSet(db, source.snapshotId, split);
  if (options.limit !== undefined) items = items.slice(0, options.limit);
  const faces = await readFaces(store, items);
  const pixels = new Uint8Array(items.length * FACE_PIXELS);
  faces.forEach((face, i) => pixels.set(face, i * FACE_PIXELS));
  const soft = "policy" in source ? source.policy === "soft" : source.soft;
  const softTargets = soft ? Float32Array.from(items.flatMap((item) => item.target)) : undefined;
  const dataset = createFaceDataset({
    pixels,
    labels: items.map((item) => item.label),
    ...(softTargets && softTargets.length === items.length * NUM_EMOTIONS ? { softTargets } : {}),
  });
  return { dataset, imageIds: items.map((item) => item.imageId) };
}
