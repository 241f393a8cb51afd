import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { buildCompact } from "../models/compact";
import { compileFusedPredictor } from "./fused-predictor";

/** Gives every BatchNormalization non-trivial statistics, as a trained net has. */
function randomiseBatchNorm(model: tf.LayersModel): void {
  for (const layer of model.layers) {
    if (layer.getClassName() !== "BatchNormalization") continue;
    const [gamma, beta, mean, variance] = layer.getWeights();
    layer.setWeights([
      tf.randomUniform(gamma.shape, 0.5, 1.5),
      tf.randomNormal(beta.shape, 0, 0.2),
      tf.randomNormal(mean.shape, 0, 0.3),
      tf.randomUniform(variance.shape, 0.5, 2),
    ]);
  }
}

describe("compileFusedPredictor", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
  });

  it("computes what model.predict computes for the compact net, with batch norm folded in", () => {
    const model = buildCompact({ widths: [6, 8, 10, 12] });
    randomiseBatchNorm(model);
    const fused = compileFusedPredictor(model);
    expect(fused).not.toBeNull();
    const x = tf.randomUniform([3, 48, 48, 1]) as tf.Tensor4D;
    const expected = model.predict(x) as tf.Tensor;
    const before = tf.memory().numTensors;
    const actual = fused!.predict(x);
    expect(tf.memory().numTensors).toBe(before + 1); // only the output
    expect(actual.shape).toEqual([3, 7]);
    const difference = tf.max(tf.abs(tf.sub(actual, expected))).dataSync()[0];
    expect(difference).toBeLessThan(1e-5);
    // The fused weights are its own: the original model can go.
    model.dispose();
    const again = fused!.predict(x);
    expect(tf.max(tf.abs(tf.sub(again, actual))).dataSync()[0]).toBe(0);
    fused!.dispose();
    tf.dispose([x, expected, actual, again]);
  });

  it("declines graphs that are not a plain chain", () => {
    const input = tf.input({ shape: [48, 48, 1] });
    const a = tf.layers.conv2d({ filters: 2, kernelSize: 3, padding: "same" }).apply(input) as tf.SymbolicTensor;
    const b = tf.layers.conv2d({ filters: 2, kernelSize: 3, padding: "same" }).apply(input) as tf.SymbolicTensor;
    const sum = tf.layers.add().apply([a, b]) as tf.SymbolicTensor;
    const out = tf.layers
      .dense({ units: 7, activation: "softmax" })
      .apply(tf.layers.flatten().apply(sum)) as tf.SymbolicTensor;
    const before = tf.memory().numTensors;
    expect(compileFusedPredictor(tf.model({ inputs: input, outputs: out }))).toBeNull();
    expect(tf.memory().numTensors).toBe(before);
  });
});
