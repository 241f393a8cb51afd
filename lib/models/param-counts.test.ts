import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { buildCompact } from "./compact";
import { EFFICIENTNET_B3, EFFICIENTNET_B5, roundFilters, roundRepeats } from "./efficientnet";
import { MODEL_ZOO } from "./index";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("parameter counts", () => {
  const seedModels = MODEL_ZOO.filter((spec) => spec.expectedParams !== undefined);

  it("covers the five seed architectures", () => {
    expect(new Set(seedModels.map((spec) => spec.architecture)).size).toBe(5);
  });

  it.each(seedModels.map((spec) => [spec.name, spec] as const))("%s matches the seed's total", (_name, spec) => {
    const model = spec.build();
    try {
      expect(model.countParams()).toBe(spec.expectedParams);
      expect(model.inputs[0].shape).toEqual([null, ...spec.inputShape]);
      expect(model.outputs[0].shape).toEqual([null, spec.numClasses]);
    } finally {
      model.dispose();
    }
  });

  it("compact: 460,907 by default, 295,575 at the calibration net's widths", () => {
    const compact = buildCompact();
    const calibration = buildCompact({ widths: [16, 32, 64, 128] });
    try {
      expect(compact.countParams()).toBe(460_907);
      expect(calibration.countParams()).toBe(295_575);
      // The browser download budget: float32 weights under 2 MB.
      expect(compact.countParams() * 4).toBeLessThan(2_000_000);
    } finally {
      compact.dispose();
      calibration.dispose();
    }
  });
});

describe("EfficientNet scaling", () => {
  const stageOutputs = [16, 24, 40, 80, 112, 192, 320];
  const stageRepeats = [1, 2, 2, 3, 3, 4, 1];

  it("B3 widths and depths match Keras", () => {
    const w = EFFICIENTNET_B3.widthCoefficient;
    const d = EFFICIENTNET_B3.depthCoefficient;
    expect(roundFilters(32, w)).toBe(40);
    expect(stageOutputs.map((f) => roundFilters(f, w))).toEqual([24, 32, 48, 96, 136, 232, 384]);
    expect(roundFilters(1280, w)).toBe(1536);
    expect(stageRepeats.map((r) => roundRepeats(r, d))).toEqual([2, 3, 3, 5, 5, 6, 2]);
  });

  it("B5 widths and depths match Keras", () => {
    const w = EFFICIENTNET_B5.widthCoefficient;
    const d = EFFICIENTNET_B5.depthCoefficient;
    expect(roundFilters(32, w)).toBe(48);
    expect(stageOutputs.map((f) => roundFilters(f, w))).toEqual([24, 40, 64, 128, 176, 304, 512]);
    expect(roundFilters(1280, w)).toBe(2048);
    expect(stageRepeats.map((r) => roundRepeats(r, d))).toEqual([3, 5, 5, 7, 7, 9, 3]);
  });
});
