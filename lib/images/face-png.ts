import { encode } from "fast-png";
import { FACE_SIZE } from "./face-format";

/**
 * A face as a PNG, for the browser (which scales it up with pixelated rendering). Pure JS (no sharp/libvips), so it
 * runs in the edge runtime and on Workers; a 48x48 gray face is a few hundred bytes of deflate either way.
 */
export function encodeFacePng(pixels: Uint8Array): Uint8Array {
  return encode({ width: FACE_SIZE, height: FACE_SIZE, data: pixels, channels: 1, depth: 8 });
}
