/**
 * Measures training images/s of a small VGG-style net (48x48x1, batch 64) on the selected backend.
 *   npx tsx lib/tf/measure-training-step.ts [--backend wasm|cpu|tensorflow] [--threads N] [--steps 4] [--batch 64]
 *     [--baseline]
 * --baseline: stock wasm plus only the Conv2DBackpropFilter it cannot train without, and tfjs' own batch-norm
 * gradient; the state before lib/tf's optimisations.
 */
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs";
import { conv2DBackpropFilterWasm } from "./conv2d-backprop-filter";
import { selectBackend, type BackendName } from "./select-backend";

const { values } = parseArgs({
  options: {
    backend: { type: "string", default: "wasm" },
    steps: { type: "string", default: "4" },
    batch: { type: "string", default: "64" },
    baseline: { type: "boolean", default: false },
    threads: { type: "string" },
  },
});
const batch = Number(values.batch);
const steps = Number(values.steps);

if (values.baseline) {
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  wasm.setWasmPaths(new URL("../../node_modules/@tensorflow/tfjs-backend-wasm/dist/", import.meta.url).pathname);
  await tf.setBackend("wasm");
  tf.registerKernel(conv2DBackpropFilterWasm);
  console.log("backend wasm (baseline: stock kernels + Conv2DBackpropFilter)");
} else {
  const threads = values.threads ? Number(values.threads) : undefined;
  const selected = await selectBackend({ prefer: values.backend as BackendName, threads });
  console.log(`backend ${selected.backend}, ${selected.threads} thread(s): ${selected.detail}`);
}

const model = smallVgg();
model.compile({ optimizer: tf.train.adam(1e-3), loss: "categoricalCrossentropy" });
const x = tf.randomUniform([batch, 48, 48, 1]);
const y = tf.oneHot(tf.randomUniform([batch], 0, 7, "int32") as tf.Tensor1D, 7);

await model.trainOnBatch(x, y); // warm-up: kernel setup, XNNPACK operators, JIT
const times: number[] = [];
const cpuStart = process.cpuUsage();
for (let i = 0; i < steps; i++) {
  const start = performance.now();
  await model.trainOnBatch(x, y);
  times.push(performance.now() - start);
}
const cpu = process.cpuUsage(cpuStart);
// On a shared machine wall time mostly measures the neighbours; CPU time (all threads) is steadier.
const cpuMsPerStep = (cpu.user + cpu.system) / 1000 / steps;
const best = Math.min(...times);
const median = times.slice().sort((a, b) => a - b)[Math.floor(times.length / 2)];
// Training a conv costs about three forward passes (forward, input gradient, filter gradient).
const gflopPerImage = (3 * convForwardFlops(model)) / 1e9;
console.log(
  `steps ms: ${times.map((t) => t.toFixed(0)).join(" ")}\n` +
    `images/s: ${((batch * 1000) / median).toFixed(1)} median, ${((batch * 1000) / best).toFixed(1)} best; ` +
    `conv training ${gflopPerImage.toFixed(2)} GFLOP/image -> ${((gflopPerImage * batch * 1000) / median).toFixed(1)} GFLOP/s\n` +
    `CPU time ${cpuMsPerStep.toFixed(0)} ms/step (${((batch * 1000) / cpuMsPerStep).toFixed(1)} images per CPU-second)`,
);
tf.dispose([x, y]);
model.dispose();

function smallVgg(): tf.LayersModel {
  const input = tf.input({ shape: [48, 48, 1] });
  let h: tf.SymbolicTensor = input;
  for (const filters of [32, 64, 128, 256]) {
    for (let i = 0; i < 2; i++) {
      h = tf.layers.conv2d({ filters, kernelSize: 3, padding: "same" }).apply(h) as tf.SymbolicTensor;
      h = tf.layers.batchNormalization().apply(h) as tf.SymbolicTensor;
      h = tf.layers.activation({ activation: "relu" }).apply(h) as tf.SymbolicTensor;
    }
    h = tf.layers.maxPooling2d({ poolSize: 2 }).apply(h) as tf.SymbolicTensor;
  }
  h = tf.layers.globalAveragePooling2d({}).apply(h) as tf.SymbolicTensor;
  const output = tf.layers.dense({ units: 7, activation: "softmax" }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output });
}

function convForwardFlops(net: tf.LayersModel): number {
  let flops = 0;
  for (const layer of net.layers) {
    if (layer.getClassName() !== "Conv2D") continue;
    const [kh, kw, cin, cout] = layer.getWeights()[0].shape;
    const [, oh, ow] = layer.outputShape as number[];
    flops += 2 * oh * ow * kh * kw * cin * cout;
  }
  return flops;
}
