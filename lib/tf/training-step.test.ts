import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { installFastBatchNorm, uninstallFastBatchNorm } from "./install-fast-batch-norm";
import { installLazyConvGradient, uninstallLazyConvGradient } from "./install-lazy-conv-gradient";
import { selectBackend } from "./select-backend";
import { expectNoLeaks, seededValues } from "./test-support";

type Layer = tf.layers.Layer;
type Sym = tf.SymbolicTensor;
const apply = (layer: Layer, x: Sym | Sym[]) => layer.apply(x) as Sym;

function smallConvNet(): tf.LayersModel {
  const input = tf.input({ shape: [16, 16, 1] });
  let h = apply(tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: "same" }), input);
  h = apply(tf.layers.batchNormalization(), h);
  h = apply(tf.layers.activation({ activation: "relu" }), h);
  h = apply(tf.layers.maxPooling2d({ poolSize: 2 }), h);
  h = apply(tf.layers.conv2d({ filters: 12, kernelSize: 3, padding: "same", useBias: false }), h);
  h = apply(tf.layers.batchNormalization(), h);
  h = apply(tf.layers.activation({ activation: "relu" }), h);
  h = apply(tf.layers.maxPooling2d({ poolSize: 2 }), h);
  h = apply(tf.layers.flatten(), h);
  return tf.model({ inputs: input, outputs: apply(tf.layers.dense({ units: 7, activation: "softmax" }), h) });
}

/** The seed ResNet's stem and a downsampling block: zero padding, 7x7/2 conv, 3x3/2 'same' max pool, 1x1/2 shortcut. */
function resNetBlock(): tf.LayersModel {
  const input = tf.input({ shape: [16, 16, 1] });
  let h = apply(tf.layers.zeroPadding2d({ padding: 3 }), input);
  h = apply(tf.layers.conv2d({ filters: 8, kernelSize: 7, strides: 2, padding: "same" }), h);
  h = apply(tf.layers.batchNormalization(), h);
  h = apply(tf.layers.activation({ activation: "relu" }), h);
  h = apply(tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: "same" }), h);
  let y = apply(tf.layers.conv2d({ filters: 12, kernelSize: 3, strides: 2, padding: "same" }), h);
  y = apply(tf.layers.batchNormalization(), y);
  y = apply(tf.layers.activation({ activation: "relu" }), y);
  y = apply(tf.layers.conv2d({ filters: 12, kernelSize: 3, padding: "same" }), y);
  y = apply(tf.layers.batchNormalization(), y);
  const shortcut = apply(tf.layers.conv2d({ filters: 12, kernelSize: 1, strides: 2, padding: "valid" }), h);
  h = apply(tf.layers.activation({ activation: "relu" }), apply(tf.layers.add(), [y, shortcut]));
  h = apply(tf.layers.averagePooling2d({ poolSize: 2, padding: "same" }), h);
  h = apply(tf.layers.flatten(), h);
  h = apply(tf.layers.dense({ units: 16, activation: "relu" }), h);
  return tf.model({ inputs: input, outputs: apply(tf.layers.dense({ units: 7, activation: "softmax" }), h) });
}

/** An EfficientNet MBConv block: expand, padded depthwise 5x5/2, swish, squeeze-excite, project. */
function mbConvBlock(): tf.LayersModel {
  const input = tf.input({ shape: [16, 16, 1] });
  let h = apply(tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: "same", useBias: false }), input);
  h = apply(tf.layers.batchNormalization(), h);
  h = apply(tf.layers.activation({ activation: "swish" }), h);
  let y = apply(tf.layers.conv2d({ filters: 24, kernelSize: 1, useBias: false }), h);
  y = apply(tf.layers.batchNormalization(), y);
  y = apply(tf.layers.activation({ activation: "swish" }), y);
  y = apply(
    tf.layers.zeroPadding2d({
      padding: [
        [2, 2],
        [2, 2],
      ],
    }),
    y,
  );
  y = apply(tf.layers.depthwiseConv2d({ kernelSize: 5, strides: 2, padding: "valid", useBias: false }), y);
  y = apply(tf.layers.batchNormalization(), y);
  y = apply(tf.layers.activation({ activation: "swish" }), y);
  let se = apply(tf.layers.globalAveragePooling2d({}), y);
  se = apply(tf.layers.reshape({ targetShape: [1, 1, 24] }), se);
  se = apply(tf.layers.conv2d({ filters: 2, kernelSize: 1, activation: "swish" }), se);
  se = apply(tf.layers.conv2d({ filters: 24, kernelSize: 1, activation: "sigmoid" }), se);
  y = apply(tf.layers.multiply(), [y, se]);
  y = apply(tf.layers.conv2d({ filters: 16, kernelSize: 1, useBias: false }), y);
  y = apply(tf.layers.batchNormalization(), y);
  y = apply(tf.layers.depthwiseConv2d({ kernelSize: 3, padding: "same", depthMultiplier: 2 }), y);
  y = apply(tf.layers.globalAveragePooling2d({}), y);
  return tf.model({ inputs: input, outputs: apply(tf.layers.dense({ units: 7, activation: "softmax" }), y) });
}

const BATCH = 4;

const maxAbs = (values: Float32Array) => values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

/** Loss and gradients of every trainable weight for one training-mode batch, weights given as plain arrays. */
function lossAndGradients(build: () => tf.LayersModel, weights: Float32Array[] | null) {
  const model = build();
  if (weights) model.setWeights(model.getWeights().map((w, i) => tf.tensor(weights[i], w.shape)));
  const initial = model.getWeights().map((w) => w.dataSync() as Float32Array);
  const result = tf.tidy(() => {
    const x = tf.tensor(seededValues(BATCH * 16 * 16, 21), [BATCH, 16, 16, 1]);
    const labels = tf.oneHot(tf.tensor1d([0, 3, 6, 2], "int32"), 7);
    const variables = model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
    const { value, grads } = tf.variableGrads(
      () => tf.losses.softmaxCrossEntropy(labels, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
      variables,
    );
    return { loss: value.dataSync()[0], grads: variables.map((v) => grads[v.name].dataSync() as Float32Array) };
  });
  model.dispose();
  return { ...result, initial };
}

beforeAll(async () => {
  expect((await selectBackend({ prefer: "wasm" })).backend).toBe("wasm");
});

describe.each([
  ["conv + BN + relu + maxpool + dense", smallConvNet],
  ["ResNet stem and downsampling block", resNetBlock],
  ["EfficientNet MBConv block", mbConvBlock],
])("gradients of a %s", (_name, build) => {
  it("on wasm match cpu", async () => {
    // The reference is tfjs as shipped: cpu kernels, tfjs-layers' own batch-norm gradient, the fused conv op.
    await tf.setBackend("cpu");
    uninstallFastBatchNorm();
    uninstallLazyConvGradient();
    const cpu = lossAndGradients(build, null);
    installFastBatchNorm();
    installLazyConvGradient();
    await tf.setBackend("wasm");
    const wasm = lossAndGradients(build, cpu.initial);
    expect(Math.abs(wasm.loss - cpu.loss)).toBeLessThan(1e-5);
    expect(wasm.grads.length).toBe(cpu.grads.length);
    // A conv bias followed by batch norm has a zero gradient up to rounding (about 1e-6 of the largest gradient, and
    // its digits differ between machines), so errors are measured against a hundredth of the largest gradient of any
    // weight when a weight's own gradient is smaller than that.
    const largest = Math.max(...cpu.grads.map(maxAbs));
    wasm.grads.forEach((g, i) => {
      const scale = Math.max(maxAbs(cpu.grads[i]), 1e-2 * largest);
      expect(maxAbsDiff(g, cpu.grads[i]) / scale, `weight ${i}`).toBeLessThan(1e-3);
    });
  });

  it("leak no tensors in a training step on wasm", async () => {
    await tf.setBackend("wasm");
    const model = build();
    model.compile({ optimizer: tf.train.adam(1e-3), loss: "categoricalCrossentropy" });
    const x = tf.tensor(seededValues(BATCH * 16 * 16, 22), [BATCH, 16, 16, 1]);
    const labels = tf.oneHot(tf.tensor1d([1, 2, 3, 4], "int32"), 7);
    await model.trainOnBatch(x, labels); // creates the optimizer's slots
    const before = tf.memory().numTensors;
    await model.trainOnBatch(x, labels);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, labels]);
    model.dispose();
    expectNoLeaks(() => {});
  });
});
