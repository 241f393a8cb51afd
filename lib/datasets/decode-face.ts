import sharp from "sharp";
import { FACE_PIXELS, FACE_SIZE, type PixelsOrProblem } from "./parse-pixels";

// Channels may differ this much and the image still counts as grey: a grey picture saved through a colour pipeline
// (an RGB JPEG, a palette PNG) keeps R, G and B equal up to rounding.
const GREY_TOLERANCE = 1;

/**
 * Decodes a JPEG or PNG into 48x48 grayscale pixels. Whether it is grey is judged from the decoded pixels, not the
 * file's declared colour space: an RGB file whose three channels are equal is accepted, a coloured one is not.
 */
export async function decodeFace(image: Buffer): Promise<PixelsOrProblem> {
  // The pixel limit stops an accidental 4000x3000 photo from being decoded in full just to be rejected.
  const decoded = await sharp(image, { limitInputPixels: FACE_PIXELS })
    .raw()
    .toBuffer({ resolveWithObject: true })
    .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  if (decoded instanceof Error) return explainDecodeFailure(image, decoded);
  const { data, info } = decoded;
  if (info.width !== FACE_SIZE || info.height !== FACE_SIZE) return wrongSize(info.width, info.height);
  const channels = info.channels;
  const pixels = new Uint8Array(FACE_PIXELS);
  for (let i = 0, at = 0; i < FACE_PIXELS; i++, at += channels) {
    if (channels === 4 && data[at + 3] !== 255) {
      return { code: "image-colour", reason: "image has transparent pixels, expected an opaque grayscale image" };
    }
    const r = data[at];
    const g = data[at + 1];
    const b = data[at + 2];
    if (Math.abs(r - g) > GREY_TOLERANCE || Math.abs(g - b) > GREY_TOLERANCE) {
      return { code: "image-colour", reason: "image is in colour, expected grayscale" };
    }
    pixels[i] = Math.round((r + g + b) / 3);
  }
  return { pixels };
}

async function explainDecodeFailure(image: Buffer, error: Error): Promise<PixelsOrProblem> {
  const message = error.message;
  if (/pixel limit/i.test(message)) {
    const size = await sharp(image, { limitInputPixels: false })
      .metadata()
      .catch(() => ({ width: undefined, height: undefined }));
    return size.width
      ? wrongSize(size.width, size.height)
      : { code: "image-size", reason: "image is larger than 48x48" };
  }
  return { code: "image-decode", reason: `not a decodable image (${message.split("\n")[0]})` };
}

function wrongSize(width: number | undefined, height: number | undefined): PixelsOrProblem {
  return { code: "image-size", reason: `image is ${width}x${height}, expected ${FACE_SIZE}x${FACE_SIZE}` };
}
