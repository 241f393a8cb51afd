import { createHash } from "node:crypto";
import type { ObjectStore } from "../storage/object-store";
import { FACE_PIXELS } from "./face-format";
import type { FaceLocation } from "./read-face";

/**
 * How faces lie in S3: shards of raw faces (2304 bytes each, back to back), a few thousand per object. The trainer
 * reads the whole curated set in a handful of GETs; the app reads one face with a 2304-byte Range GET. Shard keys
 * are the hash of their content, so writing the same batch twice (a rerun import) writes the same object.
 */
export const FACE_SHARD_PREFIX = "faces/shards/";

export type { FaceLocation } from "./read-face";
export { readFace } from "./read-face";

export async function writeFaceShard(store: ObjectStore, faces: readonly Uint8Array[]): Promise<FaceLocation[]> {
  if (faces.length === 0) return [];
  const body = new Uint8Array(faces.length * FACE_PIXELS);
  faces.forEach((face, i) => {
    if (face.length !== FACE_PIXELS) throw new Error(`a face has ${FACE_PIXELS} pixels, got ${face.length}`);
    body.set(face, i * FACE_PIXELS);
  });
  const storageKey = `${FACE_SHARD_PREFIX}${createHash("sha256").update(body).digest("hex")}.gray`;
  await store.put(storageKey, body, { contentType: "application/octet-stream" });
  return faces.map((_, i) => ({ storageKey, storageOffset: i * FACE_PIXELS }));
}

/** Reads many faces with one GET per shard; returns them in the order asked. */
export async function readFaces(
  store: ObjectStore,
  locations: readonly FaceLocation[],
  options: { concurrency?: number } = {},
): Promise<Uint8Array[]> {
  const byShard = new Map<string, number[]>();
  locations.forEach((location, i) => {
    const list = byShard.get(location.storageKey) ?? [];
    list.push(i);
    byShard.set(location.storageKey, list);
  });
  const out = new Array<Uint8Array>(locations.length);
  const shards = [...byShard.entries()];
  const concurrency = options.concurrency ?? 4;
  let next = 0;
  async function worker() {
    while (next < shards.length) {
      const [key, indices] = shards[next++];
      const body = await store.get(key);
      for (const i of indices) {
        const offset = locations[i].storageOffset;
        out[i] = body.subarray(offset, offset + FACE_PIXELS);
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, shards.length) }, worker));
  return out;
}

/**
 * Reads many faces with one Range GET per shard, covering only the span the faces occupy: for streaming a set in
 * batches, where a whole-shard GET would fetch up to a shard's worth of faces the batch does not need.
 */
export async function readFaceSpans(store: ObjectStore, locations: readonly FaceLocation[]): Promise<Uint8Array[]> {
  const spans = new Map<string, { first: number; last: number }>();
  for (const { storageKey, storageOffset } of locations) {
    const span = spans.get(storageKey);
    if (!span) spans.set(storageKey, { first: storageOffset, last: storageOffset });
    else {
      span.first = Math.min(span.first, storageOffset);
      span.last = Math.max(span.last, storageOffset);
    }
  }
  const bodies = new Map<string, Uint8Array>();
  await Promise.all(
    [...spans].map(async ([key, span]) => {
      const body = await store.getRange(key, span.first, span.last + FACE_PIXELS - 1);
      if (body.length !== span.last - span.first + FACE_PIXELS) {
        throw new Error(`shard ${key} is truncated at ${span.first + body.length} bytes`);
      }
      bodies.set(key, body);
    }),
  );
  return locations.map(({ storageKey, storageOffset }) => {
    const start = storageOffset - spans.get(storageKey)!.first;
    return bodies.get(storageKey)!.subarray(start, start + FACE_PIXELS);
  });
}
