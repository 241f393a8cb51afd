import type { TSnapshotFilter } from "./snapshot-filter";

/**
 * The files every snapshot offers, all row-aligned (the same images in the same order):
 * - fer2013.csv(.gz): Kaggle's `emotion,pixels,Usage`, so code written for FER-2013 reads it unchanged;
 * - fer2013new.csv: FER+'s columns, its crowd votes plus people's labels, row i belonging to fer2013.csv's row i;
 * - manifest.jsonl: one JSON object per image (id, pixel hash, split, label, method, confidence, votes, sources);
 * - the msambare folder layout `train|test/<emotion>/<Usage>_<id>.jpg` as a zip, and as PNG when asked for.
 */
export const SNAPSHOT_FILES = {
  "fer2013.csv": { contentType: "text/csv; charset=utf-8", what: "FER-2013 CSV (emotion,pixels,Usage)" },
  "fer2013.csv.gz": { contentType: "application/gzip", what: "the same CSV, gzip-compressed" },
  "fer2013new.csv": { contentType: "text/csv; charset=utf-8", what: "FER+-style votes, row-aligned with fer2013.csv" },
  "manifest.jsonl": { contentType: "application/x-ndjson", what: "JSON Lines manifest, one image per line" },
  "images-jpeg.zip": { contentType: "application/zip", what: "msambare folder layout, JPEG" },
  "images-png.zip": { contentType: "application/zip", what: "msambare folder layout, lossless PNG" },
} as const;
export type SnapshotFileName = keyof typeof SNAPSHOT_FILES;

export function isSnapshotFileName(name: string): name is SnapshotFileName {
  return Object.hasOwn(SNAPSHOT_FILES, name);
}

export function snapshotFileNames(filter: Pick<TSnapshotFilter, "png">): SnapshotFileName[] {
  const names = Object.keys(SNAPSHOT_FILES) as SnapshotFileName[];
  return filter.png ? names : names.filter((name) => name !== "images-png.zip");
}

export function snapshotFileKey(snapshotId: number, name: SnapshotFileName): string {
  return `snapshots/${snapshotId}/${name}`;
}

/** The name a download is saved under: which snapshot version it came from stays visible. */
export function downloadFileName(version: number, name: SnapshotFileName): string {
  return `faceloop-v${version}-${name}`;
}
