/**
 * How much the training loop costs beyond the bare gradient step, on the compact net.
 *   npx tsx lib/training/measure-loop.ts [--backend wasm|cpu|tensorflow] [--threads N] [--batch 64] [--steps 4]
 *     [--widths 20,40,80,160]
 * Prints per-batch medians, wall-clock and CPU time of this process (all its threads; steadier than wall time on a
 * shared machine), of: the bare step (fixed tensors, variableGrads + AdamW), tfjs' own trainOnBatch for
 * reference, the full trainModel loop (assembly, augmentation, loss, accuracy, schedule, yields), batch assembly
 * alone, the tf.image.transform alternative to the JS augmentation, and inference throughput.
 */
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs";
import { syntheticFaces } from "../images/synthetic-faces";
import { buildCompact, COMPACT_DEFAULTS } from "../models/compact";
import { FAST_PRESET } from "../models/presets";
import { type BackendName, selectBackend } from "../tf/select-backend";
import { createAdamW } from "./adamw";
import { BatchAssembler, disposeBatch } from "./batch-assembler";
import { mulberry32 } from "./epoch-random";
import { predictProbabilities } from "./evaluate";
import { faceDatasetFromSamples, shuffledOrder } from "./face-dataset";
import { weightedCrossEntropy } from "./loss";
import { trainModel } from "./train-model";

const { values } = parseArgs({
  options: {
    backend: { type: "string", default: "wasm" },
    threads: { type: "string" },
    batch: { type: "string", default: "64" },
    steps: { type: "string", default: "4" },
    widths: { type: "string", default: COMPACT_DEFAULTS.widths.join(",") },
  },
});
const batch = Number(values.batch);
const steps = Number(values.steps);
const widths = values.widths.split(",").map(Number) as unknown as [number, number, number, number];

const selected = await selectBackend({
  prefer: values.backend as BackendName,
  threads: values.threads ? Number(values.threads) : undefined,
});
console.log(`backend ${selected.backend}: ${selected.detail}`);

const data = faceDatasetFromSamples(syntheticFaces(batch * steps, 1));
const preset = { ...FAST_PRESET, batchSize: batch, epochs: 1 };
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
interface Cost {
  wall: number;
  cpu: number;
}
const ms = (x: Cost) => `${x.wall.toFixed(1)} ms wall, ${x.cpu.toFixed(1)} ms cpu`;
const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

/** Starts a clock; calling the result gives the cost since. */
function clock(): () => Cost {
  const wall = performance.now();
  const cpu = cpuMs();
  return () => ({ wall: performance.now() - wall, cpu: cpuMs() - cpu });
}

function medianCost(costs: Cost[]): Cost {
  return { wall: median(costs.map((c) => c.wall)), cpu: median(costs.map((c) => c.cpu)) };
}

async function timed(repeats: number, body: () => void | Promise<void>): Promise<Cost> {
  await body(); // warm-up: kernel setup, XNNPACK operators, JIT
  const costs: Cost[] = [];
  for (let i = 0; i < repeats; i++) {
    const elapsed = clock();
    await body();
    costs.push(elapsed());
  }
  return medianCost(costs);
}

// 1. The bare step: fixed tensors, gradients, AdamW; the floor the loop is compared with.
const model = buildCompact({ widths });
const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
const optimizer = createAdamW(
  preset.optimizer,
  variables,
  variables.map(() => true),
);
const assembler = new BatchAssembler(batch);
const order = shuffledOrder(data.count, mulberry32(1));
const options = { augmentation: null, random: mulberry32(2), loss: { labelSmoothing: 0.1, classWeights: null } };
const fixed = assembler.training(data, order, 0, batch, { ...options, weightScale: 1 / batch });
const bare = await timed(steps, () => {
  const { value, grads } = tf.variableGrads(
    () => weightedCrossEntropy(model.apply(fixed.x, { training: true }) as tf.Tensor2D, fixed.targets, fixed.weights),
    variables,
  );
  const list = variables.map((v) => grads[v.name]);
  optimizer.step(list, 1e-3);
  value.dataSync();
  tf.dispose([value, ...list]);
});
disposeBatch(fixed);
optimizer.dispose();

// 2. tfjs' own path (what model.fit runs per batch), for reference.
model.compile({ optimizer: tf.train.adam(1e-3), loss: "categoricalCrossentropy" });
const [x, y] = tf.tidy(() => [
  tf.randomUniform([batch, 48, 48, 1]),
  tf.oneHot(tf.randomUniform([batch], 0, 7, "int32") as tf.Tensor1D, 7),
]);
const trainOnBatch = await timed(steps, async () => void (await model.trainOnBatch(x, y)));
tf.dispose([x, y]);
model.optimizer.dispose();

// 3. The full loop, one epoch of `steps` batches, no validation.
const batchCosts: Cost[] = [];
let elapsed = clock();
const loopModel = buildCompact({ widths });
await trainModel({
  model: loopModel,
  preset,
  train: data,
  onBatch: () => {
    batchCosts.push(elapsed());
    elapsed = clock();
  },
});
const loop = medianCost(batchCosts.slice(1));

// 4. Assembly with the JS shift/flip alone, and 5. the tf.image.transform alternative.
const assemble = await timed(10, () => {
  disposeBatch(
    assembler.training(data, order, 0, batch, { ...options, augmentation: preset.augmentation, weightScale: 1 }),
  );
});
const random = mulberry32(3);
let transform: Cost | undefined;
try {
  transform = await timed(10, () => {
    const plain = assembler.inputs(data.pixels, 0, batch);
    const shifted = tf.tidy(() => {
      // Projective rows [1, 0, -dx, 0, 1, -dy, 0, 0] sample the input at (x - dx, y - dy); flips by a negative scale.
      const rows = Array.from({ length: batch }, () => {
        const dy = (random() * 2 - 1) * 4.8;
        const dx = (random() * 2 - 1) * 4.8;
        return random() < 0.5 ? [1, 0, -dx, 0, 1, -dy, 0, 0] : [-1, 0, 47 - dx, 0, 1, -dy, 0, 0];
      });
      return tf.image.transform(plain, tf.tensor2d(rows), "bilinear", "nearest");
    });
    shifted.dataSync();
    tf.dispose([plain, shifted]);
  });
} catch (error) {
  console.log(`tf.image.transform unavailable: ${(error as Error).message.split("\n")[0]}`);
}

// 6. Inference throughput (validation, pool scoring).
const inferStart = performance.now();
await predictProbabilities(loopModel, data.pixels, { batchSize: 2 * batch });
const inferSeconds = (performance.now() - inferStart) / 1000;

const overhead = { wall: loop.wall - bare.wall, cpu: loop.cpu - bare.cpu };
console.log(
  [
    `compact ${widths.join("/")}, batch ${batch}, medians over ${steps} steps`,
    `bare step (variableGrads + AdamW): ${ms(bare)}  (${((batch * 1000) / bare.wall).toFixed(1)} images/s)`,
    `tfjs trainOnBatch (Adam):          ${ms(trainOnBatch)}`,
    `trainModel per batch:              ${ms(loop)}`,
    `  loop overhead:                   ${ms(overhead)} (${((100 * overhead.cpu) / bare.cpu).toFixed(1)}% of the step's cpu)`,
    `  batch assembly + JS shift/flip:  ${ms(assemble)}`,
    `  tf.image.transform instead:      ${transform ? ms(transform) : "n/a"}`,
    `inference: ${(data.count / inferSeconds).toFixed(0)} images/s`,
    `FER-2013 train split (28,709) at this rate: ${(((28709 / batch) * loop.wall) / 60000).toFixed(1)} min/epoch`,
  ].join("\n"),
);
model.dispose();
loopModel.dispose();
