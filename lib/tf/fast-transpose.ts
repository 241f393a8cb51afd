import type * as tf from "@tensorflow/tfjs";
import { computeArrays } from "./kernel-arrays";
import type { WasmOps } from "./wasm-ops";

const TILE = 4;

/**
 * Transpose that moves the last axis to the front and the first to the back ([A, ..., C] -> [C, ..., A] after
 * merging neighbouring axes) with a tiled JavaScript loop: the wasm kernel reads such a transpose with a large
 * power-of-two stride and ran 2-3x slower. Other permutations go to the wasm kernel.
 */
export function fastTranspose(ops: WasmOps, backend: object, x: tf.TensorInfo, perm: number[]): tf.TensorInfo {
  const { shape, order } = collapse(x.shape, perm);
  const swap =
    (order.length === 3 && order[0] === 2 && order[1] === 1 && order[2] === 0) ||
    (order.length === 2 && order[0] === 1);
  if (!swap || x.dtype !== "float32") return ops.transpose(x, perm);
  const [a, p, c] = shape.length === 3 ? shape : [shape[0], 1, shape[1]];
  const outShape = perm.map((axis) => x.shape[axis]);
  return computeArrays(backend, [x], [outShape], ([dst], [src]) => swapOuterAxes(src, dst, a, p, c))[0];
}

/** Drops size-1 axes and merges input axes that stay neighbours; `order` is the permutation of what is left. */
function collapse(inShape: number[], perm: number[]): { shape: number[]; order: number[] } {
  const groups: number[][] = [];
  for (const axis of perm.filter((axis) => inShape[axis] !== 1)) {
    const last = groups[groups.length - 1];
    if (last && last[last.length - 1] + 1 === axis) last.push(axis);
    else groups.push([axis]);
  }
  const byInput = [...groups].sort((g, h) => g[0] - h[0]);
  return {
    shape: byInput.map((group) => group.reduce((size, axis) => size * inShape[axis], 1)),
    order: groups.map((group) => byInput.indexOf(group)),
  };
}

/** [A, P, C] -> [C, P, A], contiguous writes, reads strided over A within a tile of P. */
function swapOuterAxes(src: Float32Array, dst: Float32Array, a: number, p: number, c: number): void {
  const step = p * c;
  for (let p0 = 0; p0 < p; p0 += TILE) {
    const p1 = Math.min(p, p0 + TILE);
    for (let k = 0; k < c; k++) {
      for (let j = p0; j < p1; j++) {
        let s = j * c + k;
        const d = (k * p + j) * a;
        for (let i = 0; i < a; i++) {
          dst[d + i] = src[s];
          s += step;
        }
      }
    }
  }
}
