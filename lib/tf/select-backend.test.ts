import { createRequire } from "node:module";
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { selectBackend } from "./select-backend";
import { relativeError, seededValues } from "./test-support";

const nativeInstalled = (() => {
  try {
    createRequire(import.meta.url).resolve("@tensorflow/tfjs-node");
    return true;
  } catch {
    return false;
  }
})();

describe("selectBackend", () => {
  it("starts multi-threaded wasm when native TensorFlow and the oneDNN addon are absent, and says why", async () => {
    const selected = await selectBackend({
      prefer: nativeInstalled ? "wasm" : undefined,
      threads: 2,
      onednnAddonFile: "/nonexistent/faceloop_onednn.node",
    });
    expect(selected.backend).toBe("wasm");
    expect(selected.threads).toBe(2);
    expect(tf.getBackend()).toBe("wasm");
    expect(selected.detail).toContain("Conv2DBackpropFilter");
    if (!nativeInstalled) expect(selected.detail).toContain("@tensorflow/tfjs-node");
    if (!nativeInstalled) expect(selected.detail).toMatch(/onednn: .*faceloop_onednn.node is not built/);
  });

  it("computes on its threads what cpu computes", async () => {
    const x = seededValues(8 * 20 * 20 * 16, 1);
    const w = seededValues(3 * 3 * 16 * 32, 2);
    const conv = () =>
      tf.tidy(() => tf.conv2d(tf.tensor4d(x, [8, 20, 20, 16]), tf.tensor4d(w, [3, 3, 16, 32]), 1, "same").dataSync());
    const onWasm = conv();
    await tf.setBackend("cpu");
    const onCpu = conv();
    await tf.setBackend("wasm");
    expect(relativeError(onWasm, onCpu)).toBeLessThan(1e-5);
  });

  it("keeps the running wasm backend when called again, and switches to cpu when asked", async () => {
    expect((await selectBackend({ prefer: "wasm", threads: 1 })).threads).toBe(2);
    expect((await selectBackend({ prefer: "cpu" })).backend).toBe("cpu");
  });

  it("skips the input gradient of a convolution nobody needs (the first layer's)", async () => {
    await tf.setBackend("wasm");
    const x = tf.randomNormal([2, 8, 8, 1]);
    const kernel = tf.variable(tf.randomNormal([3, 3, 1, 4]));
    const bias = tf.variable(tf.zeros([4]));
    const layerStyle = () =>
      tf.sum(tf.fused.conv2d({ x: x as tf.Tensor4D, filter: kernel as tf.Tensor4D, strides: 1, pad: "same", bias }));
    const profile = await tf.profile(() => {
      const { value, grads } = tf.variableGrads(layerStyle as () => tf.Scalar, [kernel, bias]);
      tf.dispose([value, ...Object.values(grads)]);
    });
    const kernels = profile.kernels.map((k) => k.name);
    expect(kernels).toContain("Conv2DBackpropFilter");
    expect(kernels).not.toContain("Conv2DBackpropInput");
    tf.dispose([x, kernel, bias]);
  });
});
