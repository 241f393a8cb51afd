import * as tf from "@tensorflow/tfjs";
import { beforeAll, expect, it } from "vitest";
import { getModelSpec } from "../../models";
import { planInference } from "../../models/fused-inference";
import { predictProbabilities } from "../../training/evaluate";
import { selectBackend } from "../select-backend";
import { seededValues } from "../test-support";
import { nativeFusedActivations } from "./onednn-kernels";

beforeAll(async () => {
  const selected = await selectBackend({ prefer: "onednn" });
  expect(selected.backend).toBe("onednn");
});

it("EfficientNet-B3's inference plan on onednn fuses swish into its convolutions and predicts what its layers do", async () => {
  expect(nativeFusedActivations()).toContain("swish");
  const model = getModelSpec("efficientnet-b3").build();
  // Moving statistics away from 0 and 1, so that folding them has something to get wrong.
  model.layers
    .filter((layer) => layer.getClassName() === "BatchNormalization")
    .forEach((layer, i) => {
      const weights = layer.getWeights();
      const [mean, variance] = weights.slice(-2);
      const moved = [
        tf.tensor(
          seededValues(mean.size, 2 * i + 1).map((v) => 0.3 * v),
          mean.shape,
        ),
        tf.tensor(
          seededValues(variance.size, 2 * i + 2).map((v) => 1 + 0.5 * v),
          variance.shape,
        ),
      ];
      layer.setWeights([...weights.slice(0, -2), ...moved]); // getWeights hands out the variables' own tensors
      tf.dispose(moved);
    });
  const count = 5;
  const pixels = new Uint8Array(seededValues(count * 48 * 48, 3).map((v) => Math.round(127.5 + 127.5 * v)));

  const plan = planInference(model, { activations: ["relu", "sigmoid", ...nativeFusedActivations()] })!;
  // 52 conv + BN and 26 depthwise conv + BN, 5 paddings, and the swish after all of them but the 26 projections.
  expect(plan.folded).toBe(52 + 26 + 5 + (52 + 26 - 26));
  plan.dispose();

  const planned = await predictProbabilities(model, pixels, { batchSize: count });
  const x = tf.tensor4d(Float32Array.from(pixels), [count, 48, 48, 1]);
  const layered = tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync() as Float32Array);
  let worst = 0;
  for (let i = 0; i < layered.length; i++) worst = Math.max(worst, Math.abs(planned[i] - layered[i]));
  expect(worst).toBeLessThan(1e-4);
  x.dispose();
  model.dispose();
});
