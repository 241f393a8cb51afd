import * as tf from "@tensorflow/tfjs";
import { beforeAll, expect, it } from "vitest";
import { getModelSpec } from "../../models";
import { planInference } from "../../models/fused-inference";
import { predictProbabilities } from "../../training/evaluate";
import { selectBackend } from "../select-backend";
import { relativeError, seededValues } from "../test-support";
import { nativeFusedActivations } from "./onednn-kernels";

beforeAll(async () => {
  const selected = await selectBackend({ prefer: "onednn" });
  expect(selected.backend).toBe("onednn");
});

it("EfficientNet-B3's inference plan on onednn fuses swish into its convolutions and computes what its layers do", async () => {
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
  const x = tf.tensor4d(Float32Array.from(pixels), [count, 48, 48, 1]);

  // The features before the head: an untrained net's softmax is nearly flat, and would hide a fold gone wrong.
  const trunk = tf.model({
    inputs: model.inputs,
    outputs: model.getLayer("top_activation").output as tf.SymbolicTensor,
  });
  const plan = planInference(trunk, { activations: ["relu", "sigmoid", ...nativeFusedActivations()] })!;
  // 52 conv + BN and 26 depthwise conv + BN, 5 paddings, and the swish after all of them but the 26 projections.
  expect(plan.folded).toBe(52 + 26 + 5 + (52 + 26 - 26));
  const [planned] = plan.run(x);
  const layered = trunk.predict(x) as tf.Tensor;
  // Seen 1.3e-6 (float32 sums in other orders); one batch norm's variance 10 % off moves them by 1.7e-4.
  expect(relativeError(planned.dataSync(), layered.dataSync())).toBeLessThan(2e-5);
  tf.dispose([planned, layered]);
  plan.dispose();

  // The scorer's own path (evaluate.ts asks for the native activations) gives the model's probabilities.
  const probabilities = await predictProbabilities(model, pixels, { batchSize: count });
  const expected = tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync());
  // The trunk's rounding, through large untrained activations and the dense head: up to 1e-4 seen.
  expect(relativeError(probabilities, expected)).toBeLessThan(2e-3);
  x.dispose();
  model.dispose();
});
