import type { Augmentation } from "../models/types";
import type { Random } from "./epoch-random";

/**
 * Keras ImageDataGenerator's shift and flip, done in plain JS while a batch is assembled: a whole-image shift has the
 * same bilinear weights at every pixel, so one face costs four reads and a few multiplies per pixel (well under a
 * millisecond per batch of 64), far cheaper than a tensor round trip through tf.image.transform.
 */

/** Content displacement in pixels (positive: down / right), continuous, and whether to mirror left-right. */
export interface ShiftFlip {
  dy: number;
  dx: number;
  flip: boolean;
}

export const NO_AUGMENTATION: ShiftFlip = { dy: 0, dx: 0, flip: false };

/**
 * Keras's draws: each shift uniform in [-fraction, fraction) of the image side (height for rows, width for columns),
 * then a flip with probability 0.5; shifts rounded to whole pixels if asked. Always three draws per face so the
 * stream does not depend on the settings.
 */
export function drawShiftFlip(config: Augmentation, random: Random, height = 48, width = 48): ShiftFlip {
  const round = config.wholePixelShifts ? Math.round : (x: number) => x;
  const dy = round((random() * 2 - 1) * config.shiftFraction * height);
  const dx = round((random() * 2 - 1) * config.shiftFraction * width);
  const flip = random() < 0.5;
  // + 0 turns Math.round's -0 into 0, so a zero shift compares equal to no shift.
  return { dy: dy + 0, dx: dx + 0, flip: config.horizontalFlip && flip };
}

/**
 * Writes `scale * shifted-then-flipped(src)` into dst: out[r][c] = in[r - dy][c' - dx] with c' = W-1-c when flipped,
 * bilinear between pixels and the nearest edge pixel outside the image (scipy's mode="nearest", order=1, as Keras).
 */
export function shiftFlipInto(
  src: ArrayLike<number>,
  srcOffset: number,
  dst: Float32Array,
  dstOffset: number,
  t: ShiftFlip,
  scale = 1,
  height = 48,
  width = 48,
): void {
  if (t.dy === 0 && t.dx === 0 && !t.flip) {
    for (let i = 0; i < height * width; i++) dst[dstOffset + i] = src[srcOffset + i] * scale;
    return;
  }
  // Source position of output (r, c): (r + baseY + fy, c0 + fx), with the same fractions fy, fx everywhere.
  const baseY = Math.floor(-t.dy);
  const fy = -t.dy - baseY;
  const baseX = Math.floor(-t.dx);
  const fx = -t.dx - baseX;
  const cols0 = new Int32Array(width);
  const cols1 = new Int32Array(width);
  for (let c = 0; c < width; c++) {
    const c0 = (t.flip ? width - 1 - c : c) + baseX;
    cols0[c] = clamp(c0, width);
    cols1[c] = clamp(c0 + 1, width);
  }
  const w00 = (1 - fy) * (1 - fx) * scale;
  const w01 = (1 - fy) * fx * scale;
  const w10 = fy * (1 - fx) * scale;
  const w11 = fy * fx * scale;
  for (let r = 0; r < height; r++) {
    const row0 = srcOffset + clamp(r + baseY, height) * width;
    const row1 = srcOffset + clamp(r + baseY + 1, height) * width;
    const out = dstOffset + r * width;
    for (let c = 0; c < width; c++) {
      const a = cols0[c];
      const b = cols1[c];
      dst[out + c] = w00 * src[row0 + a] + w01 * src[row0 + b] + w10 * src[row1 + a] + w11 * src[row1 + b];
    }
  }
}

function clamp(i: number, size: number): number {
  return i < 0 ? 0 : i >= size ? size - 1 : i;
}
