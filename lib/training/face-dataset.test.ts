import { describe, expect, it } from "vitest";
import { epochRandom } from "./epoch-random";
import { createFaceDataset, FACE_PIXELS, shuffledOrder, subsetFaceDataset } from "./face-dataset";

const pixels = (count: number) =>
  Uint8Array.from({ length: count * FACE_PIXELS }, (_, i) => Math.floor(i / FACE_PIXELS));

describe("createFaceDataset", () => {
  it("checks pixels and labels", () => {
    expect(() => createFaceDataset({ pixels: new Uint8Array(100), labels: [] })).toThrow(/whole/);
    expect(() => createFaceDataset({ pixels: pixels(2), labels: [0] })).toThrow(/2 labels/);
    expect(() => createFaceDataset({ pixels: pixels(1), labels: [-1] })).toThrow(/canonical/);
    expect(() => createFaceDataset({ pixels: pixels(1), labels: [7] })).toThrow(/canonical/);
    expect(createFaceDataset({ pixels: pixels(2), labels: [6, 0] }).labels).toEqual(Uint8Array.from([6, 0]));
  });

  it("normalises soft targets and derives labels from their argmax", () => {
    const soft = Float32Array.from([0, 1, 3, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 2]);
    const data = createFaceDataset({ pixels: pixels(2), softTargets: soft });
    expect(Array.from(data.labels)).toEqual([2, 0]);
    expect(Array.from(data.softTargets!.subarray(0, 3))).toEqual([0, 0.25, 0.75]);
    expect(() => createFaceDataset({ pixels: pixels(1), softTargets: new Float32Array(7) })).toThrow(/zero/);
  });

  it("subsets in the given order", () => {
    const data = createFaceDataset({ pixels: pixels(3), labels: [0, 1, 2] });
    const sub = subsetFaceDataset(data, [2, 0]);
    expect(sub.count).toBe(2);
    expect(Array.from(sub.labels)).toEqual([2, 0]);
    expect(sub.pixels[0]).toBe(2);
    expect(sub.pixels[FACE_PIXELS]).toBe(0);
  });
});

describe("shuffledOrder", () => {
  it("is a permutation that depends on seed and epoch only", () => {
    const a = shuffledOrder(100, epochRandom(1, 0));
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(shuffledOrder(100, epochRandom(1, 0))).toEqual(a);
    expect(shuffledOrder(100, epochRandom(1, 1))).not.toEqual(a);
    expect(shuffledOrder(100, epochRandom(2, 0))).not.toEqual(a);
  });
});
