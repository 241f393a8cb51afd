import * as tf from "@tensorflow/tfjs";
import { expect, it } from "vitest";
import { selectBackend } from "./select-backend";

// A file of its own: the wasm backend starts once per process, threaded or not.
it("starts tfjs' own single-threaded wasm build when one thread is asked for", async () => {
  const selected = await selectBackend({ prefer: "wasm", threads: 1 });
  expect(selected).toMatchObject({ backend: "wasm", threads: 1 });
  const y = tf.tidy(() =>
    tf.conv2d(tf.ones([1, 4, 4, 2]) as tf.Tensor4D, tf.ones([3, 3, 2, 1]) as tf.Tensor4D, 1, "same").dataSync(),
  );
  expect(Array.from(y).slice(0, 5)).toEqual([8, 12, 12, 8, 12]);
});
