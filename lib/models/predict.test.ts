import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { getModelSpec } from "./index";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

/** Builds, predicts a [2,48,48,1] batch and disposes, checking the softmax output and that no tensor outlives it. */
async function predictTwoFaces(name: string): Promise<number[][]> {
  const before = tf.memory().numTensors;
  const model = getModelSpec(name).build();
  const input = tf.randomUniform([2, 48, 48, 1]);
  const output = model.predict(input) as tf.Tensor;
  const rows = (await output.array()) as number[][];
  tf.dispose([input, output]);
  model.dispose();
  expect(tf.memory().numTensors).toBe(before);
  return rows;
}

// The cpu backend runs about 0.5 GFLOP/s: the other nets are only built, in the count tests, to keep this file quick.
describe.each(["compact", "resnet34", "efficientnet-b3"])("%s", (name) => {
  it("maps a batch of two faces to two softmax rows without leaking tensors", async () => {
    const rows = await predictTwoFaces(name);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toHaveLength(7);
      expect(row.every((p) => p >= 0 && p <= 1)).toBe(true);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
  });
});

describe("serialisation", () => {
  it.each(["compact", "efficientnet-b3"])("%s survives a save and reload with identical predictions", async (name) => {
    const model = getModelSpec(name).build();
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (saved) => {
        artifacts = saved;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
      }),
    );
    // The custom Normalization layer and the Rescaling layer must be known to the deserialiser.
    const reloaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
    const input = tf.randomUniform([1, 48, 48, 1]);
    const [a, b] = [model, reloaded].map((m) => m.predict(input) as tf.Tensor);
    expect(reloaded.countParams()).toBe(model.countParams());
    expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
    tf.dispose([input, a, b]);
    model.dispose();
    reloaded.dispose();
  });
});

describe("EfficientNet drop-connect", () => {
  it("drops whole samples, at 0.2 * block / blocks", () => {
    const model = getModelSpec("efficientnet-b3").build();
    try {
      // B3 has 26 blocks; block2b is the fourth (index 3).
      const config = model.getLayer("block2b_drop").getConfig();
      expect(config.noiseShape).toEqual([null, 1, 1, 1]);
      expect(config.rate).toBeCloseTo((0.2 * 3) / 26, 10);
      // tfjs must fill the null batch dimension of the noise shape from the input; a high rate makes drops visible.
      const layer = tf.layers.dropout({ rate: 0.5, noiseShape: config.noiseShape as number[] });
      const ones = tf.ones([64, 3, 3, 4]);
      const dropped = layer.apply(ones, { training: true }) as tf.Tensor;
      const [lowest, highest] = tf.tidy(() => {
        const flat = dropped.reshape([64, -1]);
        return [flat.min(1), flat.max(1)];
      });
      const low = Array.from(lowest.dataSync());
      // Every sample is all zero or all 1 / (1 - rate), and both happen.
      expect(Array.from(highest.dataSync())).toEqual(low);
      expect(new Set(low)).toEqual(new Set([0, 2]));
      tf.dispose([ones, dropped, lowest, highest]);
    } finally {
      model.dispose();
    }
  });
});
