/**
 * `npm run bench:profile -- [--model resnet34] [--backend onednn] [--precision f32|bf16] [--steps 2] [--mode infer]`:
 * where a training step's time goes, kernel by kernel: trains a few batches of 64 random faces through the trainer's
 * own loop and sums the wall time of every kernel call (a gradient's kernels included) after the first, warm-up,
 * batch. With `--mode infer`, the same for inference batches through the scorer's own predict. Prints milliseconds per
 * step and the share of the step, largest first.
 */
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs";
import { getModelSpec } from "../../lib/models";
import type { ConvPrecision } from "../../lib/tf/native/onednn-kernels";
import { type BackendName, selectBackend } from "../../lib/tf/select-backend";
import { createFaceDataset } from "../../lib/training/face-dataset";
import { predictProbabilities } from "../../lib/training/evaluate";
import { trainModel } from "../../lib/training/train-model";

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== "--"),
  options: {
    model: { type: "string", default: "resnet34" },
    backend: { type: "string", default: "onednn" },
    precision: { type: "string", default: "f32" },
    steps: { type: "string", default: "2" },
    top: { type: "string", default: "20" },
    mode: { type: "string", default: "train" },
  },
});
if (values.mode !== "train" && values.mode !== "infer") throw new Error(`--mode is train or infer, not ${values.mode}`);
const selected = await selectBackend({ prefer: values.backend as BackendName });
if (selected.backend !== values.backend) throw new Error(`backend ${values.backend} is not available here`);
tf.enableProdMode();

const spec = getModelSpec(values.model!);
const model = spec.build();
const batch = 64;
const steps = Number(values.steps);
const count = batch * (steps + 1);
const pixels = new Uint8Array(count * 48 * 48).map(() => Math.floor(Math.random() * 256));
const train = createFaceDataset({ pixels, labels: Array.from({ length: count }, (_, i) => i % 7) });

// Every kernel call goes through the engine's runKernel, the gradients' too; time each while recording is on.
const perKernel = new Map<string, number>();
let recording = false;
const engine = tf.engine() as unknown as { runKernel: (...args: unknown[]) => unknown };
const runKernel = engine.runKernel.bind(engine);
engine.runKernel = (...args: unknown[]) => {
  const start = performance.now();
  const out = runKernel(...args);
  if (recording) perKernel.set(args[0] as string, (perKernel.get(args[0] as string) ?? 0) + performance.now() - start);
  return out;
};
let stepStart = 0;
let stepsMs = 0;
if (values.mode === "infer") {
  const precision = values.precision as ConvPrecision;
  await predictProbabilities(model, pixels.subarray(0, batch * 48 * 48), { batchSize: batch, precision }); // warm-up
  recording = true;
  stepStart = performance.now();
  await predictProbabilities(model, pixels.subarray(0, batch * steps * 48 * 48), { batchSize: batch, precision });
  stepsMs = performance.now() - stepStart;
} else {
  await trainModel({
    model,
    preset: { ...spec.preset, batchSize: batch, epochs: 1 },
    train,
    precision: values.precision as ConvPrecision,
    onBatch: () => {
      const now = performance.now();
      if (recording) stepsMs += now - stepStart;
      recording = true; // from the second batch on: the first builds and tunes every primitive
      stepStart = now;
    },
  });
}

const kernelsMs = [...perKernel.values()].reduce((a, b) => a + b, 0);
console.log(
  `${spec.name} ${values.mode === "infer" ? "inference" : "training"} on ${selected.backend}, ${values.precision} convolutions, batch ${batch}: ` +
    `${(stepsMs / steps).toFixed(0)} ms a step (${((batch * steps * 1000) / stepsMs).toFixed(1)} images/s), ` +
    `${(kernelsMs / steps).toFixed(0)} ms of it in kernels`,
);
for (const [name, ms] of [...perKernel].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) {
  console.log(
    `${name.padEnd(38)}${(ms / steps).toFixed(1).padStart(8)} ms${((100 * ms) / stepsMs).toFixed(1).padStart(7)} %`,
  );
}
model.dispose();
process.exit(0);
