import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { RELU_GRAD } from "./relu-gradient";
import { selectBackend } from "./select-backend";
import { expectNoLeaks, seededValues } from "./test-support";

// Plain wasm (no oneDNN addon), so this tests the loop; lib/tf/native's tests compare the native kernel with it.
beforeAll(async () => {
  const selected = await selectBackend({ prefer: "wasm", onednnAddonFile: "/nonexistent/faceloop_onednn.node" });
  expect(selected.backend).toBe("wasm");
});

/** tfjs' own formula: dy * cast(step(x)). */
function expectedGradient(x: Float32Array, dy: Float32Array): Float32Array {
  return dy.map((g, i) => (x[i] > 0 ? g : 0));
}

describe("ReLU's gradient", () => {
  for (const backend of ["cpu", "wasm"]) {
    it(`is dy where the input is positive and 0 elsewhere, zeros included (${backend})`, async () => {
      await tf.setBackend(backend);
      const shape = [2, 5, 5, 3];
      const x = seededValues(150, 1).map((v, i) => (i % 7 === 0 ? 0 : v)); // relu'(0) = 0, as tfjs has it
      const dy = seededValues(150, 2);
      const grad = tf.tidy(() => tf.grad((t: tf.Tensor) => tf.relu(t))(tf.tensor(x, shape), tf.tensor(dy, shape)));
      expect(Array.from(grad.dataSync())).toEqual(Array.from(expectedGradient(x, dy)));
      grad.dispose();
    });

    it(`runs as one kernel, not tfjs' three, and leaks nothing (${backend})`, async () => {
      await tf.setBackend(backend);
      const x = tf.tensor(seededValues(64, 3), [4, 16]);
      const dy = tf.tensor(seededValues(64, 4), [4, 16]);
      const profile = await tf.profile(() => tf.grad((t: tf.Tensor) => tf.relu(t))(x, dy));
      const kernels = profile.kernels.map((k) => k.name);
      expect(kernels).toContain(RELU_GRAD);
      expect(kernels).not.toContain("Step");
      expectNoLeaks(() => tf.tidy(() => void tf.grad((t: tf.Tensor) => tf.relu(t))(x, dy)));
      tf.dispose([x, dy, profile.result as tf.Tensor]);
    });
  }
});
