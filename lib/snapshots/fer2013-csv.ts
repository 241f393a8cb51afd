import { FACE_PIXELS } from "../images/face-format";
import { USAGE_NAMES } from "../datasets/usage-split";
import type { Split } from "../datasets/types";
import type { SnapshotBatch } from "./snapshot-items";

export const FER2013_HEADER = "emotion,pixels,Usage\n";

const USAGE: Record<Split, string> = { train: USAGE_NAMES[0], val: USAGE_NAMES[1], test: USAGE_NAMES[2] };
/**
 * Each value 0..255 as its ASCII digits and a space, packed little-endian into one 32-bit word, and how many of those
 * bytes count: a row is written one word store per pixel (the next store overwrites the unused bytes), twice as fast
 * as byte by byte.
 */
const CELL = new Uint32Array(256);
const CELL_LENGTH = new Uint8Array(256);
for (let v = 0; v < 256; v++) {
  const text = `${v} `;
  for (let i = 0; i < text.length; i++) CELL[v] |= text.charCodeAt(i) << (8 * i);
  CELL_LENGTH[v] = text.length;
}
/** A row's bytes at most, plus the 4-byte word the last store may write past it. */
const MAX_ROW = 2 + FACE_PIXELS * 4 + "PrivateTest".length + 2 + 4;

/**
 * FER-2013's CSV exactly as Kaggle ships it: `emotion,pixels,Usage`, the label in FER-2013's class order (faceloop's
 * canonical one), 2304 space-separated values, Usage from the split, `\n` line ends. One buffer per batch.
 */
export async function* fer2013Csv(batches: AsyncIterable<SnapshotBatch>): AsyncGenerator<Buffer> {
  yield Buffer.from(FER2013_HEADER, "latin1");
  for await (const { items, pixels } of batches) {
    const out = Buffer.allocUnsafe(items.length * MAX_ROW);
    const words = new DataView(out.buffer, out.byteOffset, out.byteLength);
    let at = 0;
    items.forEach((item, i) => {
      at += out.write(`${item.label},`, at, "latin1");
      const face = pixels[i];
      for (let p = 0; p < FACE_PIXELS; p++) {
        words.setUint32(at, CELL[face[p]], true);
        at += CELL_LENGTH[face[p]];
      }
      at += out.write(`,${USAGE[item.split]}\n`, at - 1, "latin1") - 1; // over the last value's space
    });
    yield out.subarray(0, at);
  }
}
