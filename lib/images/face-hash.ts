import { createHash } from "node:crypto";
import { FACE_PIXELS } from "./face-format";

/** The identity of a face: SHA-256 of its 2304 pixel bytes, hex. Same pixels, same image. */
export function faceContentHash(pixels: Uint8Array): string {
  if (pixels.length !== FACE_PIXELS) throw new Error(`a face has ${FACE_PIXELS} pixels, got ${pixels.length}`);
  return createHash("sha256").update(pixels).digest("hex");
}
