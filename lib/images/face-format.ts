import { createHash } from "node:crypto";

/** Every face faceloop stores is 48x48, one byte of gray per pixel, row-major: FER-2013's own format. */
export const FACE_SIZE = 48;
export const FACE_PIXELS = FACE_SIZE * FACE_SIZE;

/** The identity of a face: SHA-256 of its 2304 pixel bytes, hex. Same pixels, same image. */
export function faceContentHash(pixels: Uint8Array): string {
  if (pixels.length !== FACE_PIXELS) throw new Error(`a face has ${FACE_PIXELS} pixels, got ${pixels.length}`);
  return createHash("sha256").update(pixels).digest("hex");
}
