/**
 * The square crop box of the upload page, in the photo's own pixels. Pure geometry, so the page's pointer and
 * keyboard handling stays small and the rules (square, inside the photo, not too small) are tested once.
 */
export interface CropBox {
  x: number;
  y: number;
  size: number;
}

export type CropCorner = "nw" | "ne" | "sw" | "se";

/** Smallest crop side in photo pixels; below this a face would be mostly upscaling blur. */
export const MIN_CROP_SIZE = 16;

/** The largest square centred in the photo. */
export function initialCropBox(width: number, height: number): CropBox {
  const size = Math.min(width, height);
  return { x: Math.round((width - size) / 2), y: Math.round((height - size) / 2), size };
}

export function moveCropBox(box: CropBox, dx: number, dy: number, width: number, height: number): CropBox {
  return {
    size: box.size,
    x: clamp(Math.round(box.x + dx), 0, width - box.size),
    y: clamp(Math.round(box.y + dy), 0, height - box.size),
  };
}

/**
 * Drags one corner to (px, py), photo coordinates; the opposite corner stays put and the box stays square and
 * inside the photo.
 */
export function dragCropCorner(
  box: CropBox,
  corner: CropCorner,
  px: number,
  py: number,
  width: number,
  height: number,
): CropBox {
  const east = corner === "ne" || corner === "se";
  const south = corner === "sw" || corner === "se";
  const anchorX = east ? box.x : box.x + box.size;
  const anchorY = south ? box.y : box.y + box.size;
  const room = Math.min(east ? width - anchorX : anchorX, south ? height - anchorY : anchorY);
  const wanted = Math.max(east ? px - anchorX : anchorX - px, south ? py - anchorY : anchorY - py);
  const size = Math.round(clamp(wanted, Math.min(MIN_CROP_SIZE, room), room));
  return { size, x: east ? anchorX : anchorX - size, y: south ? anchorY : anchorY - size };
}

/** Grows or shrinks the box about its centre (keyboard +/-, mouse wheel), kept inside the photo. */
export function scaleCropBox(box: CropBox, factor: number, width: number, height: number): CropBox {
  const maxSize = Math.min(width, height);
  const size = Math.round(clamp(box.size * factor, Math.min(MIN_CROP_SIZE, maxSize), maxSize));
  const cx = box.x + box.size / 2;
  const cy = box.y + box.size / 2;
  return {
    size,
    x: clamp(Math.round(cx - size / 2), 0, width - size),
    y: clamp(Math.round(cy - size / 2), 0, height - size),
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
