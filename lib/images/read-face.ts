import type { ObjectReader } from "../storage/s3-object-reader";
import { FACE_PIXELS } from "./face-format";

/** Where one face lies: its shard object and byte offset (see face-shards.ts). */
export interface FaceLocation {
  storageKey: string;
  storageOffset: number;
}

/** One face with a 2304-byte Range GET. No Node-only import: the edge-runtime image route uses it. */
export async function readFace(store: Pick<ObjectReader, "getRange">, location: FaceLocation): Promise<Uint8Array> {
  const bytes = await store.getRange(
    location.storageKey,
    location.storageOffset,
    location.storageOffset + FACE_PIXELS - 1,
  );
  if (bytes.length !== FACE_PIXELS) {
    throw new Error(`face at ${location.storageKey}+${location.storageOffset} is truncated (${bytes.length} bytes)`);
  }
  return bytes;
}
