import { FACE_PIXELS, FACE_SIZE } from "../images/face-format";

/**
 * Turns a crop's RGBA pixels into a stored face: luminance 0.299R + 0.587G + 0.114B per pixel, then an exact
 * area-average down to 48x48 (every source pixel counts by the share of it each output pixel covers), so
 * shrinking a few hundred pixels to 48 neither aliases nor blurs more than it must. Alpha is ignored: the page
 * draws photos onto an opaque background first. Runs in the browser; plain arrays, no DOM.
 */
export function rgbaToGrayFace(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): Uint8Array {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`invalid image size ${width}x${height}`);
  }
  if (rgba.length !== width * height * 4) {
    throw new RangeError(`expected ${width * height * 4} RGBA bytes for ${width}x${height}, got ${rgba.length}`);
  }
  const luminance = new Float64Array(width * height);
  for (let i = 0, p = 0; i < luminance.length; i++, p += 4) {
    luminance[i] = 0.299 * rgba[p] + 0.587 * rgba[p + 1] + 0.114 * rgba[p + 2];
  }
  const columns = areaWeights(width, FACE_SIZE);
  const rows = areaWeights(height, FACE_SIZE);

  // Horizontal pass: height x 48, then vertical: 48 x 48.
  const across = new Float64Array(height * FACE_SIZE);
  for (let y = 0; y < height; y++) {
    for (let ox = 0; ox < FACE_SIZE; ox++) {
      let sum = 0;
      for (const [x, w] of columns[ox]) sum += luminance[y * width + x] * w;
      across[y * FACE_SIZE + ox] = sum;
    }
  }
  const face = new Uint8Array(FACE_PIXELS);
  for (let oy = 0; oy < FACE_SIZE; oy++) {
    for (let ox = 0; ox < FACE_SIZE; ox++) {
      let sum = 0;
      for (const [y, w] of rows[oy]) sum += across[y * FACE_SIZE + ox] * w;
      face[oy * FACE_SIZE + ox] = Math.min(255, Math.max(0, Math.round(sum)));
    }
  }
  return face;
}

/** For each output cell, the source cells it covers and their weights (summing to 1). */
function areaWeights(sourceLength: number, outputLength: number): Array<Array<[number, number]>> {
  const scale = sourceLength / outputLength;
  return Array.from({ length: outputLength }, (_, o) => {
    const start = o * scale;
    const end = start + scale;
    const cells: Array<[number, number]> = [];
    for (let s = Math.floor(start); s < Math.min(sourceLength, Math.ceil(end)); s++) {
      const covered = Math.min(end, s + 1) - Math.max(start, s);
      if (covered > 1e-9) cells.push([s, covered / scale]);
    }
    return cells;
  });
}
