import { describe, expect, it } from "vitest";
import { dragCropCorner, initialCropBox, MIN_CROP_SIZE, moveCropBox, scaleCropBox } from "./crop-box";

describe("crop box", () => {
  it("starts as the largest centred square", () => {
    expect(initialCropBox(400, 300)).toEqual({ x: 50, y: 0, size: 300 });
    expect(initialCropBox(300, 500)).toEqual({ x: 0, y: 100, size: 300 });
    expect(initialCropBox(64, 64)).toEqual({ x: 0, y: 0, size: 64 });
  });

  it("moves but stays inside the photo", () => {
    const box = { x: 100, y: 100, size: 100 };
    expect(moveCropBox(box, 20, -30, 400, 300)).toEqual({ x: 120, y: 70, size: 100 });
    expect(moveCropBox(box, 1000, 1000, 400, 300)).toEqual({ x: 300, y: 200, size: 100 });
    expect(moveCropBox(box, -1000, -1000, 400, 300)).toEqual({ x: 0, y: 0, size: 100 });
  });

  it("resizes from a corner, keeping the opposite corner and the square", () => {
    const box = { x: 100, y: 100, size: 100 };
    // South-east corner dragged to (260, 230): the larger side wins.
    expect(dragCropCorner(box, "se", 260, 230, 400, 300)).toEqual({ x: 100, y: 100, size: 160 });
    // North-west corner dragged in: the south-east corner (200, 200) stays.
    expect(dragCropCorner(box, "nw", 150, 170, 400, 300)).toEqual({ x: 150, y: 150, size: 50 });
    // North-east corner: anchor is the south-west corner (100, 200).
    expect(dragCropCorner(box, "ne", 180, 150, 400, 300)).toEqual({ x: 100, y: 120, size: 80 });
    expect(dragCropCorner(box, "sw", 90, 205, 400, 300)).toEqual({ x: 90, y: 100, size: 110 });
  });

  it("never grows past the photo nor shrinks below the minimum", () => {
    const box = { x: 100, y: 100, size: 100 };
    expect(dragCropCorner(box, "se", 10_000, 10_000, 400, 300)).toEqual({ x: 100, y: 100, size: 200 });
    expect(dragCropCorner(box, "nw", -500, -20, 400, 300)).toEqual({ x: 0, y: 0, size: 200 });
    // Dragging across the anchor collapses to the minimum rather than flipping.
    expect(dragCropCorner(box, "se", 0, 0, 400, 300)).toEqual({ x: 100, y: 100, size: MIN_CROP_SIZE });
  });

  it("scales about its centre within the photo", () => {
    const box = { x: 100, y: 100, size: 100 };
    expect(scaleCropBox(box, 0.5, 400, 300)).toEqual({ x: 125, y: 125, size: 50 });
    expect(scaleCropBox(box, 10, 400, 300)).toEqual({ x: 0, y: 0, size: 300 });
    expect(scaleCropBox(box, 0.01, 400, 300).size).toBe(MIN_CROP_SIZE);
    // Near an edge the grown box is pushed back inside.
    expect(scaleCropBox({ x: 300, y: 200, size: 100 }, 1.1, 400, 300)).toEqual({ x: 290, y: 190, size: 110 });
  });
});
