import { describe, expect, it } from "vitest";
import { FACE_PIXELS, FACE_SIZE } from "../images/face-format";
import { rgbaToGrayFace } from "./gray-face";

function solid(width: number, height: number, rgb: [number, number, number]): Uint8Array {
  const out = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) out.set([...rgb, 255], i * 4);
  return out;
}

describe("rgbaToGrayFace", () => {
  it("weighs the channels 0.299 R + 0.587 G + 0.114 B", () => {
    expect(rgbaToGrayFace(solid(96, 96, [255, 0, 0]), 96, 96)[0]).toBe(76);
    expect(rgbaToGrayFace(solid(96, 96, [0, 255, 0]), 96, 96)[0]).toBe(150);
    expect(rgbaToGrayFace(solid(96, 96, [0, 0, 255]), 96, 96)[0]).toBe(29);
    expect(rgbaToGrayFace(solid(48, 48, [200, 100, 50]), 48, 48)[100]).toBe(
      Math.round(0.299 * 200 + 0.587 * 100 + 0.114 * 50),
    );
  });

  it("keeps a 48x48 gray image exactly", () => {
    const rgba = new Uint8Array(FACE_PIXELS * 4);
    for (let i = 0; i < FACE_PIXELS; i++) rgba.set([i % 256, i % 256, i % 256, 255], i * 4);
    const face = rgbaToGrayFace(rgba, FACE_SIZE, FACE_SIZE);
    expect(Array.from(face.subarray(0, 300))).toEqual(Array.from({ length: 300 }, (_, i) => i % 256));
  });

  it("averages areas when shrinking: a 1-pixel checkerboard becomes flat mid-gray, not aliased stripes", () => {
    const size = 144; // 3 source pixels per face pixel: each output averages 9 pixels of alternating 0/255
    const rgba = new Uint8Array(size * size * 4);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const v = (x + y) % 2 ? 255 : 0;
        rgba.set([v, v, v, 255], (y * size + x) * 4);
      }
    }
    const face = rgbaToGrayFace(rgba, size, size);
    for (const v of face) expect(Math.abs(v - 127.5)).toBeLessThanOrEqual(15); // 4/9 or 5/9 of 255
  });

  it("keeps the layout of a shrunk image: the left half dark, the right half light, at fractional scale", () => {
    const width = 100; // not a multiple of 48: weights are fractional
    const rgba = new Uint8Array(width * width * 4);
    for (let y = 0; y < width; y++) {
      for (let x = 0; x < width; x++) {
        const v = x < width / 2 ? 0 : 255;
        rgba.set([v, v, v, 255], (y * width + x) * 4);
      }
    }
    const face = rgbaToGrayFace(rgba, width, width);
    expect(face[10 * FACE_SIZE + 5]).toBe(0);
    expect(face[10 * FACE_SIZE + 42]).toBe(255);
    // The edge falls exactly between face columns 23 and 24 (100 / 48 per column).
    expect(face[10 * FACE_SIZE + 23]).toBe(0);
    expect(face[10 * FACE_SIZE + 24]).toBe(255);
  });

  it("upscales a small crop", () => {
    const face = rgbaToGrayFace(solid(20, 20, [90, 90, 90]), 20, 20);
    expect(face.length).toBe(FACE_PIXELS);
    expect(new Set(face)).toEqual(new Set([90]));
  });

  it("refuses a buffer that does not match its size", () => {
    expect(() => rgbaToGrayFace(new Uint8Array(10), 48, 48)).toThrow(/expected 9216 RGBA bytes/);
  });
});
