import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { FACE_PIXELS } from "../images/face-format";
import { syntheticFaces } from "../images/synthetic-faces";
import { decodeUploadedFace, sniffImageKind } from "./decode-uploaded-face";
import { encodeGrayPng } from "./encode-gray-png";
import { UploadError } from "./upload-error";

const [face] = syntheticFaces(1, 3);
const gray = (size = 48) => ({ raw: { width: size, height: size, channels: 1 as const } });

async function refusal(bytes: Uint8Array): Promise<UploadError> {
  const error = await decodeUploadedFace(bytes).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UploadError);
  return error as UploadError;
}

describe("decodeUploadedFace", () => {
  it("accepts a gray 48x48 PNG and returns its pixels", async () => {
    const pixels = await decodeUploadedFace(await encodeGrayPng(face.pixels, 48, 48));
    expect(Buffer.from(pixels)).toEqual(Buffer.from(face.pixels));
  });

  it("accepts RGB and opaque RGBA PNGs whose channels are all equal, as canvas makes them", async () => {
    const rgb = await sharp(Buffer.from(face.pixels), gray()).toColourspace("srgb").png().toBuffer();
    expect((await sharp(rgb).metadata()).channels).toBe(3);
    expect(Buffer.from(await decodeUploadedFace(rgb))).toEqual(Buffer.from(face.pixels));
    const rgba = await sharp(Buffer.from(face.pixels), gray()).toColourspace("srgb").ensureAlpha(1).png().toBuffer();
    expect((await sharp(rgba).metadata()).channels).toBe(4);
    expect(Buffer.from(await decodeUploadedFace(rgba))).toEqual(Buffer.from(face.pixels));
  });

  it("reads a 16-bit gray PNG as 8-bit", async () => {
    const png16 = await sharp(Buffer.from(face.pixels), gray()).toColourspace("grey16").png().toBuffer();
    expect((await sharp(png16).metadata()).depth).toBe("ushort");
    const pixels = await decodeUploadedFace(png16);
    expect(pixels.length).toBe(FACE_PIXELS);
    expect(Math.max(...pixels.map((v, i) => Math.abs(v - face.pixels[i])))).toBeLessThanOrEqual(1);
  });

  it("refuses other sizes, naming the size it got", async () => {
    const big = await sharp(Buffer.alloc(64 * 64, 128), gray(64))
      .png()
      .toBuffer();
    const error = await refusal(big);
    expect([error.status, error.message]).toEqual([400, "not 48x48 (got 64x64)"]);
    const wide = await sharp(Buffer.alloc(48 * 20, 128), { raw: { width: 48, height: 20, channels: 1 } })
      .png()
      .toBuffer();
    expect((await refusal(wide)).message).toBe("not 48x48 (got 48x20)");
  });

  it("refuses colour", async () => {
    const rgb = Buffer.alloc(FACE_PIXELS * 3, 100);
    rgb[3 * 200] = 180; // one reddish pixel
    const png = await sharp(rgb, { raw: { width: 48, height: 48, channels: 3 } })
      .png()
      .toBuffer();
    const error = await refusal(png);
    expect([error.status, error.message]).toEqual([400, "not grayscale (colour channels differ, e.g. at pixel 8,4)"]);
  });

  it("refuses transparency", async () => {
    const ga = Buffer.alloc(FACE_PIXELS * 2, 255);
    ga[2 * 10 + 1] = 0;
    const png = await sharp(ga, { raw: { width: 48, height: 48, channels: 2 } })
      .png()
      .toBuffer();
    expect((await refusal(png)).message).toBe("has transparent pixels");
  });

  it("refuses a JPEG labelled as PNG, and bytes that are no image", async () => {
    const jpeg = await sharp(Buffer.from(face.pixels), gray()).jpeg().toBuffer();
    const error = await refusal(jpeg);
    expect([error.status, error.message]).toEqual([415, "not a PNG (got JPEG data)"]);
    const webp = await sharp(Buffer.from(face.pixels), gray()).webp().toBuffer();
    expect((await refusal(webp)).message).toBe("not a PNG (got WebP data)");
    const garbage = await refusal(new TextEncoder().encode("definitely not an image, just some text"));
    expect([garbage.status, garbage.message]).toEqual([415, "not an image (unreadable bytes)"]);
    expect((await refusal(new Uint8Array(0))).message).toBe("not an image (unreadable bytes)");
  });

  it("refuses a damaged PNG", async () => {
    const png = await encodeGrayPng(face.pixels, 48, 48);
    const truncated = png.subarray(0, 60);
    const error = await refusal(truncated);
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/^damaged PNG/);
  });

  it("sniffs common formats from their first bytes", () => {
    expect(sniffImageKind(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))).toBe("JPEG");
    expect(sniffImageKind(new TextEncoder().encode("GIF89a"))).toBe("GIF");
    expect(sniffImageKind(new Uint8Array([1, 2, 3]))).toBeNull();
  });
});
