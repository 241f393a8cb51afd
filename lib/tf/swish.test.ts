import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "./select-backend";
import { installFastSwish, SWISH, SWISH_GRAD, uninstallFastSwish } from "./swish";
import { expectNoLeaks, relativeError, seededValues } from "./test-support";

// Plain wasm (no oneDNN addon), so this tests the loops; lib/tf/native's tests compare the native kernels with them.
beforeAll(async () => {
  const selected = await selectBackend({ prefer: "wasm", onednnAddonFile: "/nonexistent/faceloop_onednn.node" });
  expect(selected.backend).toBe("wasm");
});

/** The value and input gradient of a swish activation layer on x, weighted by dy. */
function swishLayer(x: Float32Array, dy: Float32Array, shape: number[]): { y: Float32Array; dx: Float32Array } {
  const layer = tf.layers.activation({ activation: "swish" });
  return tf.tidy(() => {
    const input = tf.tensor(x, shape);
    const y = layer.apply(input) as tf.Tensor;
    const dx = tf.grad((t: tf.Tensor) => layer.apply(t) as tf.Tensor)(input, tf.tensor(dy, shape));
    return { y: y.dataSync() as Float32Array, dx: dx.dataSync() as Float32Array };
  });
}

describe("swish", () => {
  for (const backend of ["cpu", "wasm"]) {
    it(`gives tfjs-layers' values and gradients, far into both tails (${backend})`, async () => {
      await tf.setBackend(backend);
      const shape = [2, 4, 4, 8];
      const x = seededValues(256, 5).map((v, i) => (i % 16 === 0 ? 90 * v : 6 * v)); // exp(-x) overflows at -89
      const dy = seededValues(256, 6);
      uninstallFastSwish();
      const expected = swishLayer(x, dy, shape);
      installFastSwish();
      const actual = swishLayer(x, dy, shape);
      expect(actual.y.every(Number.isFinite) && actual.dx.every(Number.isFinite)).toBe(true);
      expect(relativeError(actual.y, expected.y)).toBeLessThan(1e-6);
      expect(relativeError(actual.dx, expected.dx)).toBeLessThan(1e-5);
    });

    it(`runs as one kernel forward and one backward, and leaks nothing (${backend})`, async () => {
      await tf.setBackend(backend);
      const layer = tf.layers.activation({ activation: "swish" });
      const x = tf.tensor(seededValues(64, 7), [4, 16]);
      const dy = tf.tensor(seededValues(64, 8), [4, 16]);
      const run = () => tf.grad((t: tf.Tensor) => layer.apply(t) as tf.Tensor)(x, dy);
      const profile = await tf.profile(run);
      // (Identity: the layer passes its input through)
      expect(profile.kernels.map((k) => k.name).filter((k) => k !== "Identity")).toEqual([SWISH, SWISH_GRAD]);
      expectNoLeaks(() => tf.tidy(() => void run()));
      tf.dispose([x, dy, profile.result as tf.Tensor]);
    });
  }
});
