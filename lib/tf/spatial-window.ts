import type * as tf from "@tensorflow/tfjs";
import { dilateSpatial } from "./dilate-spatial";
import type { PadHW, WasmOps } from "./wasm-ops";

export interface SpatialWindow {
  /** The input, cropped where the window starts or ends inside it; `cropped` says whether it is a new tensor. */
  x: tf.TensorInfo;
  cropped: boolean;
  pad: PadHW;
}

/**
 * Fits a tensor whose dims 1 and 2 are spatial to the window rows [rowStart, rowStart + rows) and columns
 * [colStart, colStart + cols): zero padding where the window reaches outside, a crop where it stops short, since
 * convolution padding cannot be negative.
 */
export function spatialWindow(
  ops: WasmOps,
  x: tf.TensorInfo,
  rowStart: number,
  rows: number,
  colStart: number,
  cols: number,
): SpatialWindow {
  const [, height, width] = x.shape;
  const top = Math.max(0, -rowStart);
  const left = Math.max(0, -colStart);
  const bottom = Math.max(0, rowStart + rows - height);
  const right = Math.max(0, colStart + cols - width);
  const r0 = Math.max(0, rowStart);
  const c0 = Math.max(0, colStart);
  const r1 = Math.min(height, rowStart + rows);
  const c1 = Math.min(width, colStart + cols);
  if (r0 === 0 && c0 === 0 && r1 === height && c1 === width) {
    return { x, cropped: false, pad: [top, bottom, left, right] };
  }
  const begin = x.shape.map(() => 0);
  const size = x.shape.slice();
  begin[1] = r0;
  begin[2] = c0;
  size[1] = r1 - r0;
  size[2] = c1 - c0;
  return { x: ops.slice(x, begin, size), cropped: true, pad: [top, bottom, left, right] };
}

/**
 * What an input gradient convolves: dy with zeros inserted for the stride, windowed so that a stride-1 convolution
 * with the rotated filter lands exactly on the input's rows and columns. `release()` frees what was made for it.
 */
export function inputGradientWindow(
  ops: WasmOps,
  dy: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): SpatialWindow & { release(): void } {
  const up = dilateSpatial(ops, dy, info.strideHeight, info.strideWidth);
  const reachH = (info.filterHeight - 1) * info.dilationHeight;
  const reachW = (info.filterWidth - 1) * info.dilationWidth;
  const win = spatialWindow(
    ops,
    up,
    info.padInfo.top - reachH,
    info.inHeight + reachH,
    info.padInfo.left - reachW,
    info.inWidth + reachW,
  );
  return {
    ...win,
    release() {
      if (up !== dy) ops.release(up);
      if (win.cropped) ops.release(win.x);
    },
  };
}
