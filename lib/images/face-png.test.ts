import { decode } from "fast-png";
import { describe, expect, it } from "vitest";
import { FACE_PIXELS, FACE_SIZE } from "./face-format";
import { encodeFacePng } from "./face-png";

describe("encodeFacePng", () => {
  it("writes a 48x48 8-bit gray PNG that decodes to the same pixels", () => {
    const pixels = Uint8Array.from({ length: FACE_PIXELS }, (_, i) => (i * 7) % 256);
    const png = encodeFacePng(pixels);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const image = decode(png);
    expect([image.width, image.height, image.channels, image.depth]).toEqual([FACE_SIZE, FACE_SIZE, 1, 8]);
    expect([...image.data]).toEqual([...pixels]);
  });
});
