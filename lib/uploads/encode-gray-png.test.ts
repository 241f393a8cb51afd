import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { FACE_PIXELS, FACE_SIZE } from "../images/face-format";
import { syntheticFaces } from "../images/synthetic-faces";
import { encodeGrayPng } from "./encode-gray-png";

describe("encodeGrayPng", () => {
  it("writes a single-channel 8-bit PNG that decodes to the same pixels", async () => {
    const [face] = syntheticFaces(1, 7);
    const png = await encodeGrayPng(face.pixels, FACE_SIZE, FACE_SIZE);
    const meta = await sharp(png).metadata();
    expect(meta).toMatchObject({ format: "png", width: 48, height: 48, channels: 1, depth: "uchar" });
    const { data } = await sharp(png).toColourspace("b-w").raw().toBuffer({ resolveWithObject: true });
    expect(Buffer.from(data)).toEqual(Buffer.from(face.pixels));
    expect(png.length).toBeLessThan(FACE_PIXELS + 200);
  });

  it("handles non-square sizes and refuses a wrong pixel count", async () => {
    const pixels = Uint8Array.from({ length: 6 }, (_, i) => i * 40);
    const png = await encodeGrayPng(pixels, 3, 2);
    const { data, info } = await sharp(png).toColourspace("b-w").raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([3, 2, 1]);
    expect(Array.from(data)).toEqual([0, 40, 80, 120, 160, 200]);
    await expect(encodeGrayPng(pixels, 2, 2)).rejects.toThrow(/expected 4 gray pixels/);
  });
});
