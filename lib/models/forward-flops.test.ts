import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { buildCompact } from "./compact";
import { forwardFlops } from "./forward-flops";
import { buildResnet34 } from "./resnet34";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("forwardFlops", () => {
  it("counts conv, depthwise and dense multiply-adds as 2 FLOPs, and nothing else", () => {
    const input = tf.input({ shape: [10, 10, 3] });
    let x = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: "same" }).apply(input) as tf.SymbolicTensor;
    x = tf.layers.batchNormalization().apply(x) as tf.SymbolicTensor;
    x = tf.layers.maxPooling2d({ poolSize: 2 }).apply(x) as tf.SymbolicTensor; // -> 5x5x8
    // -> 2x2x8
    x = tf.layers.depthwiseConv2d({ kernelSize: 3, strides: 2, padding: "valid" }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
    const output = tf.layers.dense({ units: 4 }).apply(x) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: output });
    try {
      const conv = 10 * 10 * (3 * 3 * 3 * 8);
      const depthwise = 2 * 2 * (3 * 3 * 8);
      const dense = 32 * 4;
      expect(forwardFlops(model)).toBe(2 * (conv + depthwise + dense));
    } finally {
      model.dispose();
    }
  });

  it("gives the seed ResNet34 about 0.52 GFLOP per image", () => {
    const model = buildResnet34();
    try {
      expect(forwardFlops(model) / 1e9).toBeCloseTo(0.524, 3);
    } finally {
      model.dispose();
    }
  });

  it("gives the calibration net its 59 MFLOP and the compact net 92", () => {
    const calibration = buildCompact({ widths: [16, 32, 64, 128] });
    const compact = buildCompact();
    try {
      expect(forwardFlops(calibration) / 1e6).toBeCloseTo(59.1, 1);
      expect(forwardFlops(compact) / 1e6).toBeCloseTo(92.1, 1);
    } finally {
      calibration.dispose();
      compact.dispose();
    }
  });
});
