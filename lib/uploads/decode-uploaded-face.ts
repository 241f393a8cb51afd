import sharp, { type Metadata, type OutputInfo } from "sharp";
import { FACE_PIXELS, FACE_SIZE } from "../images/face-format";
import { UploadError } from "./upload-error";

/**
 * The server's check of an uploaded object's bytes: a PNG (by its bytes, whatever it was labelled), 48x48, gray
 * (one channel, or colour channels that are all equal as canvas-made PNGs have), opaque, one frame. Returns the
 * 2304 gray pixels or throws an UploadError that says what is wrong. The size is read from the header before any
 * pixel is decoded, so a small file claiming a huge image costs nothing.
 */
export async function decodeUploadedFace(bytes: Uint8Array): Promise<Uint8Array> {
  const kind = sniffImageKind(bytes);
  if (kind !== "PNG") {
    throw new UploadError(415, kind ? `not a PNG (got ${kind} data)` : "not an image (unreadable bytes)");
  }
  let meta: Metadata;
  try {
    meta = await sharp(bytes).metadata();
  } catch {
    throw new UploadError(400, "damaged PNG (its header could not be read)");
  }
  if (meta.width !== FACE_SIZE || meta.height !== FACE_SIZE) {
    throw new UploadError(400, `not ${FACE_SIZE}x${FACE_SIZE} (got ${meta.width}x${meta.height})`);
  }
  if ((meta.pages ?? 1) > 1) throw new UploadError(400, "animated PNGs are not accepted");

  let raw: { data: Buffer; info: OutputInfo };
  try {
    raw = await sharp(bytes).raw({ depth: "uchar" }).toBuffer({ resolveWithObject: true });
  } catch {
    throw new UploadError(400, "damaged PNG (its pixels could not be decoded)");
  }
  const { data, info } = raw;
  const channels = info.channels;
  if (data.length !== FACE_PIXELS * channels) throw new UploadError(400, "damaged PNG (wrong number of pixels)");
  const hasAlpha = channels === 2 || channels === 4;
  const colours = hasAlpha ? channels - 1 : channels;

  const pixels = new Uint8Array(FACE_PIXELS);
  for (let i = 0; i < FACE_PIXELS; i++) {
    const p = i * channels;
    const gray = data[p];
    for (let c = 1; c < colours; c++) {
      if (data[p + c] !== gray) {
        throw new UploadError(
          400,
          `not grayscale (colour channels differ, e.g. at pixel ${i % FACE_SIZE},${Math.floor(i / FACE_SIZE)})`,
        );
      }
    }
    if (hasAlpha && data[p + channels - 1] !== 255) throw new UploadError(400, "has transparent pixels");
    pixels[i] = gray;
  }
  return pixels;
}

/** What the first bytes say a file is, for a clear message when something else was labelled PNG. */
export function sniffImageKind(bytes: Uint8Array): string | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "PNG";
  if (starts(0xff, 0xd8, 0xff)) return "JPEG";
  if (bytes.length >= 12 && ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "WebP";
  if (ascii(0, 4) === "GIF8") return "GIF";
  if (bytes.length >= 12 && ascii(4, 8) === "ftyp") return "HEIF/AVIF";
  if (starts(0x42, 0x4d)) return "BMP";
  return null;
}
