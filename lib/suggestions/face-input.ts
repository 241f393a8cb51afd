import { INPUT_SHAPE } from "../models/constants";

const [HEIGHT, WIDTH] = INPUT_SHAPE;
export const FACE_INPUT_SIZE = HEIGHT * WIDTH;

/**
 * A decoded face image (RGBA, as a canvas returns it) as the model's input: gray values scaled x/255, row-major
 * 48x48, exactly what the trainer feeds. Faces are stored gray, so R = G = B and the red channel is the pixel.
 */
export function rgbaToFaceInput(rgba: ArrayLike<number>, width: number, height: number): Float32Array {
  if (width !== WIDTH || height !== HEIGHT)
    throw new Error(`a face is ${WIDTH}x${HEIGHT} pixels, got ${width}x${height}`);
  if (rgba.length !== width * height * 4)
    throw new Error(`expected ${width * height * 4} RGBA bytes, got ${rgba.length}`);
  const out = new Float32Array(FACE_INPUT_SIZE);
  for (let i = 0; i < out.length; i++) out[i] = rgba[i * 4] / 255;
  return out;
}

/**
 * Decodes a face PNG in the browser (off screen, no colour management or premultiplying that could shift the gray
 * values) into the model's input.
 */
export async function decodeFaceInput(image: Blob): Promise<Float32Array> {
  const bitmap = await createImageBitmap(image, { colorSpaceConversion: "none", premultiplyAlpha: "none" });
  try {
    const canvas =
      typeof OffscreenCanvas !== "undefined"
        ? new OffscreenCanvas(bitmap.width, bitmap.height)
        : Object.assign(document.createElement("canvas"), { width: bitmap.width, height: bitmap.height });
    const context = canvas.getContext("2d", { willReadFrequently: true }) as
      OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D | null;
    if (!context) throw new Error("this browser has no 2D canvas to decode faces with");
    context.drawImage(bitmap, 0, 0);
    const { data, width, height } = context.getImageData(0, 0, bitmap.width, bitmap.height);
    return rgbaToFaceInput(data, width, height);
  } finally {
    bitmap.close();
  }
}
