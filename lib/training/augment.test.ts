import { describe, expect, it } from "vitest";
import { drawShiftFlip, shiftFlipInto, type ShiftFlip } from "./augment";
import { mulberry32 } from "./epoch-random";

const SIZE = 48;

function apply(image: ArrayLike<number>, t: ShiftFlip, scale = 1): Float32Array {
  const out = new Float32Array(SIZE * SIZE);
  shiftFlipInto(image, 0, out, 0, t, scale);
  return out;
}

function randomImage(seed: number): Uint8Array {
  const random = mulberry32(seed);
  return Uint8Array.from({ length: SIZE * SIZE }, () => Math.floor(random() * 256));
}

const at = (image: ArrayLike<number>, r: number, c: number) => image[r * SIZE + c];

describe("shiftFlipInto", () => {
  it("is the identity (times scale) without shift or flip", () => {
    const image = randomImage(1);
    expect(Array.from(apply(image, { dy: 0, dx: 0, flip: false }, 1 / 255))).toEqual(
      Array.from(image, (v) => Math.fround(v / 255)),
    );
  });

  it("mirrors columns, and a flip is its own inverse", () => {
    const image = randomImage(2);
    const flipped = apply(image, { dy: 0, dx: 0, flip: true });
    expect(at(flipped, 5, 0)).toBe(at(image, 5, SIZE - 1));
    expect(at(flipped, 7, 10)).toBe(at(image, 7, SIZE - 11));
    expect(Array.from(apply(flipped, { dy: 0, dx: 0, flip: true }))).toEqual(Array.from(image));
  });

  it("moves a bright pixel by a whole-pixel shift (positive: down and right)", () => {
    const image = new Uint8Array(SIZE * SIZE);
    image[10 * SIZE + 20] = 200;
    const out = apply(image, { dy: 3, dx: -5, flip: false });
    expect(at(out, 13, 15)).toBe(200);
    expect(out.reduce((a, b) => a + b, 0)).toBe(200);
  });

  it("splits a pixel bilinearly under a fractional shift", () => {
    const image = new Uint8Array(SIZE * SIZE);
    image[10 * SIZE + 20] = 200;
    const out = apply(image, { dy: 0.25, dx: 0.5, flip: false });
    expect(at(out, 10, 20)).toBeCloseTo(200 * 0.75 * 0.5, 4);
    expect(at(out, 10, 21)).toBeCloseTo(200 * 0.75 * 0.5, 4);
    expect(at(out, 11, 20)).toBeCloseTo(200 * 0.25 * 0.5, 4);
    expect(at(out, 11, 21)).toBeCloseTo(200 * 0.25 * 0.5, 4);
    expect(out.reduce((a, b) => a + b, 0)).toBeCloseTo(200, 3);
  });

  it("fills uncovered pixels with the nearest edge pixel", () => {
    // Each pixel holds its column index: a shift right repeats column 0, a shift left repeats column 47.
    const columns = Uint8Array.from({ length: SIZE * SIZE }, (_, i) => i % SIZE);
    const right = apply(columns, { dy: 0, dx: 5, flip: false });
    expect(Array.from(right.subarray(0, 8))).toEqual([0, 0, 0, 0, 0, 0, 1, 2]);
    const left = apply(columns, { dy: 0, dx: -4.5, flip: false });
    expect(at(left, 30, 0)).toBeCloseTo(4.5, 5);
    expect(Array.from(left.subarray(SIZE - 5, SIZE))).toEqual([47, 47, 47, 47, 47]);
    const rows = Uint8Array.from({ length: SIZE * SIZE }, (_, i) => Math.floor(i / SIZE));
    const down = apply(rows, { dy: 2.5, dx: 0, flip: true });
    expect([0, 1, 2, 3, 4].map((r) => at(down, r, 9))).toEqual([0, 0, 0, 0.5, 1.5]);
  });

  it("writes at the given offsets and leaves the rest alone", () => {
    const src = new Uint8Array(3 * SIZE * SIZE).fill(9);
    const dst = new Float32Array(2 * SIZE * SIZE).fill(-1);
    shiftFlipInto(src, 2 * SIZE * SIZE, dst, SIZE * SIZE, { dy: 1.5, dx: -2.25, flip: true }, 2);
    expect(dst.subarray(0, SIZE * SIZE).every((v) => v === -1)).toBe(true);
    expect(dst.subarray(SIZE * SIZE).every((v) => Math.abs(v - 18) < 1e-4)).toBe(true);
  });
});

describe("drawShiftFlip", () => {
  it("is deterministic for a seed, stays within the fraction and flips about half the time", () => {
    const config = { shiftFraction: 0.1, horizontalFlip: true };
    const draw = (seed: number) => {
      const random = mulberry32(seed);
      return Array.from({ length: 2000 }, () => drawShiftFlip(config, random));
    };
    const a = draw(7);
    expect(draw(7)).toEqual(a);
    expect(draw(8)).not.toEqual(a);
    expect(a.every((t) => Math.abs(t.dy) <= 4.8 && Math.abs(t.dx) <= 4.8)).toBe(true);
    expect(Math.max(...a.map((t) => Math.abs(t.dx)))).toBeGreaterThan(4.5);
    const flips = a.filter((t) => t.flip).length;
    expect(flips).toBeGreaterThan(900);
    expect(flips).toBeLessThan(1100);
  });

  it("rounds shifts to whole pixels when asked, from the same draws", () => {
    const continuous = mulberry32(5);
    const whole = mulberry32(5);
    const shifts = new Set<number>();
    for (let i = 0; i < 500; i++) {
      const a = drawShiftFlip({ shiftFraction: 0.1, horizontalFlip: true }, continuous);
      const b = drawShiftFlip({ shiftFraction: 0.1, horizontalFlip: true, wholePixelShifts: true }, whole);
      expect(b).toEqual({ dy: Math.round(a.dy) + 0, dx: Math.round(a.dx) + 0, flip: a.flip });
      shifts.add(b.dx);
    }
    expect([...shifts].sort((x, y) => x - y)).toEqual([-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5]);
  });

  it("never flips when flips are off, but consumes the same draws", () => {
    const on = mulberry32(3);
    const off = mulberry32(3);
    for (let i = 0; i < 100; i++) {
      const a = drawShiftFlip({ shiftFraction: 0.1, horizontalFlip: true }, on);
      const b = drawShiftFlip({ shiftFraction: 0.1, horizontalFlip: false }, off);
      expect(b).toEqual({ ...a, flip: false });
    }
  });
});
