import * as tf from "@tensorflow/tfjs";
import { expect } from "vitest";

/** Deterministic uniform values in [-1, 1), so failures reproduce. */
export function seededValues(size: number, seed: number): Float32Array {
  let state = seed >>> 0 || 1;
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    values[i] = (state >>> 0) / 2 ** 31 - 1;
  }
  return values;
}

/** Runs a kernel on one backend with plain-array inputs and returns the first output's shape and values. */
export function runKernelOn(
  backendName: string,
  kernelName: string,
  inputs: Record<string, { shape: number[]; values: Float32Array }>,
  attrs: object,
): { shape: number[]; values: Float32Array } {
  tf.setBackend(backendName);
  const tensors: Record<string, tf.Tensor> = {};
  for (const [name, { shape, values }] of Object.entries(inputs)) tensors[name] = tf.tensor(values, shape);
  const out = tf.engine().runKernel(kernelName, tensors, attrs as tf.NamedAttrMap) as tf.Tensor | tf.Tensor[];
  const first = Array.isArray(out) ? out[0] : out;
  const result = { shape: first.shape, values: first.dataSync() as Float32Array };
  tf.dispose([out, ...Object.values(tensors)]);
  return result;
}

/** Largest absolute difference relative to the largest expected magnitude (a gradient's scale can be anything). */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let maxErr = 0;
  let scale = Number.MIN_VALUE;
  for (let i = 0; i < expected.length; i++) {
    maxErr = Math.max(maxErr, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return maxErr / scale;
}

export function expectClose(
  actual: { shape: number[]; values: ArrayLike<number> },
  expected: { shape: number[]; values: ArrayLike<number> },
  tolerance = 1e-4,
): void {
  expect(actual.shape).toEqual(expected.shape);
  expect(relativeError(actual.values, expected.values)).toBeLessThan(tolerance);
}

/** Fails when fn leaves tensors behind, or wasm/cpu data behind (a composed kernel forgetting an intermediate). */
export function expectNoLeaks(fn: () => void): void {
  const tensorsBefore = tf.memory().numTensors;
  const dataBefore = tf.engine().backend.numDataIds();
  fn();
  expect(tf.memory().numTensors).toBe(tensorsBefore);
  expect(tf.engine().backend.numDataIds()).toBe(dataBefore);
}
