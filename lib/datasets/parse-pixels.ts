import { FACE_PIXELS, FACE_SIZE } from "../images/face-format";
import type { SkipCode } from "./types";

export { FACE_PIXELS, FACE_SIZE };

export type PixelsOrProblem = { pixels: Uint8Array } | { code: SkipCode; reason: string };

const SPACE = 32;
const TAB = 9;
const ZERO = 48;
const NINE = 57;

/**
 * Parses FER-2013's space-separated pixel field straight from the line's bytes: a split()+map(Number) per row would
 * allocate 2304 strings, and this runs 32k+ times per import. Pixel positions in messages are 0-based.
 */
export function parsePixels(bytes: Uint8Array, start = 0, end = bytes.length): PixelsOrProblem {
  const pixels = new Uint8Array(FACE_PIXELS);
  let count = 0;
  let value = 0;
  let digits = 0;
  for (let i = start; i <= end; i++) {
    const c = i < end ? bytes[i] : SPACE;
    if (c >= ZERO && c <= NINE) {
      value = value * 10 + (c - ZERO);
      digits++;
    } else if (c === SPACE || c === TAB) {
      if (digits === 0) continue;
      if (value > 255)
        return { code: "pixel-value", reason: `pixel ${count} is ${tokenAt(bytes, i - digits, end)}, above 255` };
      if (count < FACE_PIXELS) pixels[count] = value;
      count++;
      value = 0;
      digits = 0;
    } else {
      const token = tokenAt(bytes, i - digits, end);
      return { code: "pixel-value", reason: `pixel ${count} is "${token}", not a whole number 0..255` };
    }
  }
  if (count !== FACE_PIXELS) return { code: "pixel-count", reason: `expected ${FACE_PIXELS} pixels, got ${count}` };
  return { pixels };
}

/** The whitespace-delimited token starting at `from`, shortened for messages. */
function tokenAt(bytes: Uint8Array, from: number, end: number): string {
  let to = from;
  while (to < end && bytes[to] !== SPACE && bytes[to] !== TAB) to++;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + from, Math.min(to - from, 20)).toString("utf8");
  return to - from > 20 ? `${text}…` : text;
}
