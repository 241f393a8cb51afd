/**
 * One measurement of `npm run bench:train`, in a process of its own so peak memory is its own and a wasm abort
 * (out of its 4 GB) only ends this measurement: trains `--steps` batches of one model through the trainer's own loop
 * and times inference, then prints one JSON line.
 */
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs";
import { getModelSpec } from "../../lib/models";
import { forwardFlops } from "../../lib/models/forward-flops";
import { loadOnednnAddon } from "../../lib/tf/native/load-onednn-addon";
import { type ConvPrecision, formatImplementations } from "../../lib/tf/native/onednn-kernels";
import { selectBackend, type BackendName } from "../../lib/tf/select-backend";
import { predictProbabilities } from "../../lib/training/evaluate";
import { createFaceDataset } from "../../lib/training/face-dataset";
import { trainModel } from "../../lib/training/train-model";

const { values } = parseArgs({
  options: {
    backend: { type: "string" },
    model: { type: "string" },
    batch: { type: "string", default: "64" },
    micro: { type: "string" },
    steps: { type: "string", default: "3" },
    precision: { type: "string", default: "f32" },
    untuned: { type: "boolean", default: false },
  },
});
const batch = Number(values.batch);
const steps = Number(values.steps);
const selected = await selectBackend({ prefer: values.backend as BackendName });
if (selected.backend !== values.backend) throw new Error(`backend ${values.backend} is not available here`);
tf.enableProdMode();
if (values.untuned) loadOnednnAddon().addon?.setAutotune(false);

const spec = getModelSpec(values.model!);
const model = spec.build();
const flopsPerImage = forwardFlops(model);
const count = batch * (steps + 1); // the first batch warms up (kernel setup, XNNPACK operators)
const pixels = new Uint8Array(count * 48 * 48).map(() => Math.floor(Math.random() * 256));
const train = createFaceDataset({ pixels, labels: Array.from({ length: count }, (_, i) => i % 7) });
const batchTimes: number[] = [];
let last = 0;
await trainModel({
  model,
  preset: { ...spec.preset, batchSize: batch, epochs: 1 },
  train,
  microBatchSize: values.micro ? Number(values.micro) : undefined,
  precision: values.precision as ConvPrecision,
  onBatch: () => {
    const now = performance.now();
    if (last > 0) batchTimes.push(now - last);
    last = now;
  },
});
// onBatch fires after each batch; the first interval starts after the warm-up batch.
const trainSeconds = batchTimes.reduce((a, b) => a + b, 0) / 1000;

const inferPixels = pixels.subarray(0, Math.min(count, batch * 3) * 48 * 48);
await predictProbabilities(model, inferPixels.subarray(0, batch * 48 * 48), { batchSize: batch }); // warm-up
const inferStart = performance.now();
await predictProbabilities(model, inferPixels, { batchSize: batch });
const inferSeconds = (performance.now() - inferStart) / 1000;
let inferBf16Seconds: number | undefined;
if (selected.backend === "onednn") {
  await predictProbabilities(model, inferPixels.subarray(0, batch * 48 * 48), { batchSize: batch, precision: "bf16" });
  const bf16Start = performance.now();
  await predictProbabilities(model, inferPixels, { batchSize: batch, precision: "bf16" });
  inferBf16Seconds = (performance.now() - bf16Start) / 1000;
}
model.dispose();

console.log(
  JSON.stringify({
    model: spec.name,
    backend: selected.backend,
    threads: selected.threads,
    batch,
    micro: values.micro ? Number(values.micro) : batch,
    trainImagesPerSecond: (batchTimes.length * batch) / trainSeconds,
    inferImagesPerSecond: inferPixels.length / (48 * 48) / inferSeconds,
    inferBf16ImagesPerSecond: inferBf16Seconds && inferPixels.length / (48 * 48) / inferBf16Seconds,
    forwardGflopPerImage: flopsPerImage / 1e9,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    implementations:
      selected.backend === "onednn" ? formatImplementations(loadOnednnAddon().addon!.implementations()) : undefined,
  }),
);
process.exit(0);
