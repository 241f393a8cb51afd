import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { buildCompact } from "../models/compact";
import { createSuggestionModel } from "./suggestion-model";
import { topK } from "./top-k";

describe("createSuggestionModel", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
  });

  it("predicts a probability row per face in one pass without leaking tensors", async () => {
    const model = createSuggestionModel(buildCompact({ widths: [4, 4, 4, 4] }), 12);
    const faces = [new Float32Array(2304).fill(0.2), new Float32Array(2304).fill(0.8)];
    await model.predict(faces); // warm-up allocates nothing that stays
    const before = tf.memory().numTensors;
    const rows = await model.predict(faces);
    expect(tf.memory().numTensors).toBe(before);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toHaveLength(7);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(topK(row, 3)).toHaveLength(3);
    }
    expect(model.modelVersionId).toBe(12);
    model.dispose();
    await expect(model.predict(faces)).rejects.toThrow(/disposed/);
  });

  it("gives the same probabilities fused as through model.predict", async () => {
    const build = () => {
      const net = buildCompact({ widths: [4, 6, 8, 10] });
      net.setWeights(net.getWeights().map((w, i) => tf.randomUniform(w.shape, 0.5, 1.5, "float32", i + 1)));
      return net;
    };
    const fused = createSuggestionModel(build(), 1);
    const plain = createSuggestionModel(build(), 1, { fuse: false });
    expect([fused.fused, plain.fused]).toEqual([true, false]);
    const faces = [Float32Array.from({ length: 2304 }, (_, i) => (i % 97) / 97)];
    const [a] = await fused.predict(faces);
    const [b] = await plain.predict(faces);
    a.forEach((p, i) => expect(p).toBeCloseTo(b[i], 5));
    fused.dispose();
    plain.dispose();
  });

  it("refuses inputs that are not one 48x48 face each", async () => {
    const model = createSuggestionModel(buildCompact({ widths: [4, 4, 4, 4] }), 1);
    await expect(model.predict([new Float32Array(10)])).rejects.toThrow(/2304/);
    expect(await model.predict([])).toEqual([]);
    model.dispose();
  });
});
