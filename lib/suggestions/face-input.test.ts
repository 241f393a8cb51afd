import { describe, expect, it } from "vitest";
import { rgbaToFaceInput } from "./face-input";

describe("rgbaToFaceInput", () => {
  it("takes the gray value of each pixel scaled to 0..1", () => {
    const rgba = new Uint8ClampedArray(48 * 48 * 4);
    for (let i = 0; i < 48 * 48; i++) rgba.set([i % 256, i % 256, i % 256, 255], i * 4);
    const input = rgbaToFaceInput(rgba, 48, 48);
    expect(input).toHaveLength(2304);
    expect(input[0]).toBe(0);
    expect(input[255]).toBe(1);
    expect(input[256 + 51]).toBeCloseTo(51 / 255, 6);
  });

  it("refuses images that are not 48x48", () => {
    expect(() => rgbaToFaceInput(new Uint8ClampedArray(64 * 64 * 4), 64, 64)).toThrow(/48x48/);
    expect(() => rgbaToFaceInput(new Uint8ClampedArray(10), 48, 48)).toThrow(/RGBA bytes/);
  });
});
