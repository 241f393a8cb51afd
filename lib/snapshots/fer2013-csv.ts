import { FACE_PIXELS } from "../images/face-format";
import { USAGE_NAMES } from "../datasets/usage-split";
import type { Split } from "../datasets/types";
import type { SnapshotBatch } from "./snapshot-items";

export const FER2013_HEADER = "emotion,pixels,Usage\n";

const USAGE: Record<Split, string> = { train: USAGE_NAMES[0], val: USAGE_NAMES[1], test: USAGE_NAMES[2] };
/** "0".."255" as ASCII digits (up to 3 per value) and their lengths: a row is written byte by byte, no formatting. */
const DIGITS = new Uint8Array(256 * 3);
const DIGIT_COUNT = new Uint8Array(256);
for (let v = 0; v < 256; v++) {
  const text = String(v);
  DIGIT_COUNT[v] = text.length;
  for (let i = 0; i < text.length; i++) DIGITS[v * 3 + i] = text.charCodeAt(i);
}
const MAX_ROW = 2 + FACE_PIXELS * 4 + "PrivateTest".length + 2;

/**
 * FER-2013's CSV exactly as Kaggle ships it: `emotion,pixels,Usage`, the label in FER-2013's class order (faceloop's
 * canonical one), 2304 space-separated values, Usage from the split, `\n` line ends. One buffer per batch.
 */
export async function* fer2013Csv(batches: AsyncIterable<SnapshotBatch>): AsyncGenerator<Buffer> {
  yield Buffer.from(FER2013_HEADER, "latin1");
  for await (const { items, pixels } of batches) {
    const out = Buffer.allocUnsafe(items.length * MAX_ROW);
    let at = 0;
    items.forEach((item, i) => {
      at += out.write(`${item.label},`, at, "latin1");
      const face = pixels[i];
      for (let p = 0; p < FACE_PIXELS; p++) {
        if (p > 0) out[at++] = 0x20;
        const v = face[p];
        const d = v * 3;
        out[at++] = DIGITS[d];
        if (DIGIT_COUNT[v] > 1) out[at++] = DIGITS[d + 1];
        if (DIGIT_COUNT[v] > 2) out[at++] = DIGITS[d + 2];
      }
      at += out.write(`,${USAGE[item.split]}\n`, at, "latin1");
    });
    yield out.subarray(0, at);
  }
}
