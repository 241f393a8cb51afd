import sharp from "sharp";
import { FACE_SIZE } from "./face-format";

/** A face as a PNG, for the browser (which scales it up with pixelated rendering). */
export function encodeFacePng(pixels: Uint8Array): Promise<Buffer> {
  return sharp(pixels, { raw: { width: FACE_SIZE, height: FACE_SIZE, channels: 1 } })
    .png({ compressionLevel: 6 })
    .toBuffer();
}
