import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { mulberry32 } from "../random";
import { planInference } from "./fused-inference";
import { getModelSpec } from "./index";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

/** Moving statistics, scales and offsets away from their initial values, so folding them has something to get wrong. */
function randomiseBatchNorms(model: tf.LayersModel, seed: number): void {
  const random = mulberry32(seed);
  for (const layer of model.layers) {
    if (layer.getClassName() !== "BatchNormalization") continue;
    const { center, scale } = layer.getConfig() as { center: boolean; scale: boolean };
    const size = layer.getWeights()[0].size;
    const values = (lo: number, hi: number) =>
      tf.tensor1d(Array.from({ length: size }, () => lo + (hi - lo) * random()));
    const weights = [
      ...(scale ? [values(0.5, 1.5)] : []),
      ...(center ? [values(-0.5, 0.5)] : []),
      values(-0.3, 0.3),
      values(0.2, 2),
    ];
    layer.setWeights(weights);
    tf.dispose(weights);
  }
}

function maxDifference(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

describe("planInference", () => {
  // compact: 8 conv + BN + ReLU; resnet34: 33 conv + BN, 17 of them before a ReLU (the others before the residual
  // add); efficientnet-b3: 52 conv + BN and 26 depthwise conv + BN (swish stays a layer: the cpu backend's fused
  // kernels do not take it), and the stem's and 4 stride-2 blocks' zero paddings.
  it.each([
    ["compact", 8 * 2],
    ["resnet34", 33 + 17],
    ["efficientnet-b3", 52 + 26 + 5],
  ])("%s: the folded pass gives the model's own predictions (%i layers folded)", (name, expectedFolded) => {
    const model = getModelSpec(name).build();
    randomiseBatchNorms(model, 7);
    const x = tf.randomUniform([3, 48, 48, 1], 0, 1, "float32", 11);
    const reference = model.predict(x) as tf.Tensor;
    const before = tf.memory().numTensors;
    const plan = planInference(model)!;
    expect(plan).not.toBeNull();
    const [output] = plan.run(x);
    expect(output.shape).toEqual(reference.shape);
    expect(maxDifference(output, reference)).toBeLessThan(1e-4);
    expect(plan.folded).toBe(expectedFolded);
    output.dispose();
    plan.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, reference]);
    model.dispose();
  });

  it("makes zero paddings the conv's own, except before a conv whose activation cannot fuse", () => {
    const input = tf.input({ shape: [9, 8, 3] });
    let x = tf.layers.zeroPadding2d({ padding: 1 }).apply(input) as tf.SymbolicTensor;
    x = tf.layers.depthwiseConv2d({ kernelSize: 3, strides: 2, padding: "valid" }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.batchNormalization().apply(x) as tf.SymbolicTensor;
    x = tf.layers.zeroPadding2d({ padding: [1, 2] }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: "sigmoid" }).apply(x) as tf.SymbolicTensor;
    x = tf.layers
      .zeroPadding2d({
        padding: [
          [0, 1],
          [1, 0],
        ],
      })
      .apply(x) as tf.SymbolicTensor;
    x = tf.layers.conv2d({ filters: 2, kernelSize: 2, activation: "tanh" }).apply(x) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: x });
    randomiseBatchNorms(model, 4);
    const images = tf.randomNormal([2, 9, 8, 3], 0, 1, "float32", 6);
    const reference = model.predict(images) as tf.Tensor;
    const plan = planInference(model)!;
    const [output] = plan.run(images);
    expect(maxDifference(output, reference)).toBeLessThan(1e-5);
    expect(plan.folded).toBe(3); // two paddings and the batch norm; the tanh conv keeps its padding layer
    plan.dispose();
    tf.dispose([images, reference, output]);
    model.dispose();
  });

  it("keeps a requested intermediate output that a fold would otherwise swallow", () => {
    const input = tf.input({ shape: [8, 8, 2] });
    const conv = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: "same" }).apply(input) as tf.SymbolicTensor;
    const norm = tf.layers.batchNormalization().apply(conv) as tf.SymbolicTensor;
    const relu = tf.layers.activation({ activation: "relu" }).apply(norm) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: [norm, relu] });
    randomiseBatchNorms(model, 3);
    const x = tf.randomNormal([2, 8, 8, 2], 0, 1, "float32", 5);
    const reference = model.predict(x) as tf.Tensor[];
    const plan = planInference(model)!;
    const outputs = plan.run(x);
    expect(plan.folded).toBe(1); // the norm is an output: the relu stays a layer of its own
    outputs.forEach((o, i) => expect(maxDifference(o, reference[i])).toBeLessThan(1e-5));
    plan.dispose();
    tf.dispose([x, ...reference, ...outputs]);
    model.dispose();
  });
});
