/**
 * `npx tsx tests/bench/native-host.bench.ts`: why the oneDNN kernels live on the wasm backend's heap rather than in a
 * backend of their own on top of the cpu backend's TensorData. Such a backend would inherit the cpu backend's kernels
 * for everything oneDNN does not run; this times those kernels (what a training step does between convolutions: ReLU,
 * residual add, the batch-norm moving averages, Adam's update) on activation-sized tensors on both backends.
 */
import { loadavg } from "node:os";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../lib/tf/select-backend";

const SIZE = 64 * 27 * 27 * 64; // a ResNet34 stage-1 activation at batch 64 (about 3M floats)
const REPS = 3;
const OPS: Record<string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor> = {
  relu: (a) => tf.relu(a),
  add: (a, b) => tf.add(a, b),
  "relu gradient (step * dy)": (a, b) => tf.mul(tf.step(a), b),
  "adam-like update (5 ops)": (a, b) => tf.sub(a, tf.div(tf.mul(b, 0.001), tf.add(tf.sqrt(tf.square(b)), 1e-7))),
};

await selectBackend({ prefer: "wasm" });
console.log(
  `native-host — ${SIZE} floats, median of ${REPS}; load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
console.log(["op", "wasm ms", "cpu ms", "cpu / wasm"].join("\t"));
for (const [name, op] of Object.entries(OPS)) {
  const times: Record<string, number> = {};
  for (const backend of ["wasm", "cpu"]) {
    await tf.setBackend(backend);
    const a = tf.randomNormal([SIZE]);
    const b = tf.randomNormal([SIZE]);
    tf.tidy(() => op(a, b).dataSync()); // warm-up
    const runs: number[] = [];
    for (let i = 0; i < REPS; i++) {
      const start = performance.now();
      tf.tidy(() => {
        const out = op(a, b);
        // Data stays in the backend; reading one value waits for the kernel without copying the tensor out.
        tf.slice(out, [0], [1]).dataSync();
      });
      runs.push(performance.now() - start);
    }
    tf.dispose([a, b]);
    times[backend] = runs.sort((x, y) => x - y)[Math.floor(REPS / 2)];
  }
  console.log([name, times.wasm.toFixed(1), times.cpu.toFixed(1), (times.cpu / times.wasm).toFixed(1)].join("\t"));
}
