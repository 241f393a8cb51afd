import type { CropBox } from "@/lib/uploads/crop-box";
import { encodeGrayPng } from "@/lib/uploads/encode-gray-png";
import { rgbaToGrayFace } from "@/lib/uploads/gray-face";
import { FACE_SIZE } from "@/lib/images/face-format";

/** The largest canvas the crop is drawn at before the exact 48x48 area average in JS. */
const MAX_WORKING_SIZE = 384;

type Canvas2D = OffscreenCanvas | HTMLCanvasElement;

/**
 * The crop of a photo as a 48x48 face (browser only): the crop is drawn at up to 384 px (halving in steps with
 * high-quality smoothing while it is larger, so no step skips pixels), on white in case the photo has
 * transparency; then lib/uploads/gray-face.ts takes luminance and area-averages to 48x48.
 */
export function cropToFacePixels(photo: CanvasImageSource, box: CropBox): Uint8Array {
  let source: CanvasImageSource = photo;
  let sx = box.x;
  let sy = box.y;
  let size = box.size;
  while (size > 2 * MAX_WORKING_SIZE) {
    const half = Math.ceil(size / 2);
    source = drawSquare(source, sx, sy, size, half);
    [sx, sy, size] = [0, 0, half];
  }
  const working = Math.max(FACE_SIZE, Math.min(size, MAX_WORKING_SIZE));
  const canvas = drawSquare(source, sx, sy, size, working);
  const rgba = context(canvas).getImageData(0, 0, working, working).data;
  return rgbaToGrayFace(rgba, working, working);
}

/** The face as the PNG that is uploaded: single-channel gray, a few KB. */
export function encodeFacePng(pixels: Uint8Array): Promise<Uint8Array> {
  return encodeGrayPng(pixels, FACE_SIZE, FACE_SIZE);
}

/** Paints face pixels onto a 48x48 canvas (the preview). */
export function paintFace(canvas: HTMLCanvasElement, pixels: Uint8Array): void {
  const image = new ImageData(FACE_SIZE, FACE_SIZE);
  for (let i = 0; i < pixels.length; i++) image.data.set([pixels[i], pixels[i], pixels[i], 255], i * 4);
  canvas.getContext("2d")!.putImageData(image, 0, 0);
}

function drawSquare(source: CanvasImageSource, sx: number, sy: number, size: number, target: number): Canvas2D {
  const canvas = makeCanvas(target);
  const ctx = context(canvas);
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, target, target);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = "high";
  ctx.drawImage(source, sx, sy, size, size, 0, 0, target, target);
  return canvas;
}

function makeCanvas(size: number): Canvas2D {
  if (typeof OffscreenCanvas !== "undefined") return new OffscreenCanvas(size, size);
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = size;
  return canvas;
}

function context(canvas: Canvas2D): OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D {
  const ctx = canvas.getContext("2d", { willReadFrequently: true }) as
    OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D | null;
  if (!ctx) throw new Error("this browser cannot draw on a canvas");
  return ctx;
}
