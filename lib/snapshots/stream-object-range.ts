import type { ObjectStore } from "../storage/object-store";

const CHUNK = 4 * 1024 * 1024;

/**
 * Bytes start..end (inclusive) of an S3 object as a web stream, fetched one 4 MB Range GET at a time as the reader
 * pulls: memory holds a chunk or two whatever the object's size, and a client that stops reading stops the GETs.
 * (Bridging the SDK's Node stream instead throws when the client disconnects half way.)
 */
export function streamObjectRange(
  store: ObjectStore,
  key: string,
  start: number,
  end: number,
): ReadableStream<Uint8Array> {
  let at = start;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (at > end) {
          controller.close();
          return;
        }
        const last = Math.min(end, at + CHUNK - 1);
        const bytes = await store.getRange(key, at, last);
        if (bytes.length !== last - at + 1) {
          controller.error(new Error(`${key} ended at byte ${at + bytes.length}, expected ${last + 1}`));
          return;
        }
        at = last + 1;
        controller.enqueue(bytes);
        if (at > end) controller.close();
      },
    },
    { highWaterMark: 1 },
  );
}
