/**
 * `npm run bench:train [-- --models compact,resnet34 --backends wasm,cpu]`: training and inference images/s of every
 * model in the zoo on every backend this machine has, at batch 64 on 48x48x1, with peak memory, each as a ratio to
 * the reference stack (TensorFlow 2.21 / Keras 3 on these 2 cores: seed ResNet34 trains at ~60 img/s, infers at
 * ~219 img/s). Each measurement runs in its own process. Large nets fall back to smaller micro-batches (same update)
 * when wasm's 4 GB runs out. The plain JS cpu backend (0.25-0.6 GFLOP/s, for tests only) needs minutes per
 * training step even at batch 2: by default it measures the compact net only, at batch 2; name other models with
 * --models to measure them too (expect tens of minutes). On onednn, inference is also measured with bf16
 * convolutions (AMX, as pool scoring runs; f32 where the CPU has no AMX), and training with bf16 mixed-precision
 * convolutions (`npm run train -- --precision bf16`). Convolutions run the fastest of their candidates, timed once per
 * shape; `--untuned` measures oneDNN's first choice instead.
 */
import { spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import { withStealShare } from "./cpu-steal";
import { parseArgs } from "node:util";
import { MODEL_ZOO } from "../../lib/models";

const REFERENCE = { model: "resnet34", trainImagesPerSecond: 60, inferImagesPerSecond: 219 };
const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== "--"),
  options: {
    models: { type: "string" },
    backends: { type: "string", default: "tensorflow,onednn,wasm,cpu" },
    steps: { type: "string", default: "3" },
    /** oneDNN's first choice for every convolution instead of the fastest one timed (for comparison). */
    untuned: { type: "boolean", default: false },
  },
});
// Architectures, not presets: the deep ResNet's two recipes train at the same speed.
const models =
  values.models?.split(",") ?? [...new Set(MODEL_ZOO.map((m) => m.name))].filter((n) => n !== "deep-resnet-balanced");
const backends = values.backends!.split(",");

interface Result {
  model: string;
  backend: string;
  threads: number;
  batch: number;
  micro: number;
  trainImagesPerSecond: number;
  inferImagesPerSecond: number;
  /** onednn only: inference with bf16 convolutions (AMX), as pool scoring runs. */
  inferBf16ImagesPerSecond?: number;
  forwardGflopPerImage: number;
  peakRssMiB: number;
  implementations?: string;
}

function measure(backend: string, model: string, precision: "f32" | "bf16" = "f32"): Result | string {
  if (backend === "cpu" && model !== "compact" && !values.models) return "skipped by default (minutes per step on cpu)";
  const batch = backend === "cpu" ? 2 : 64;
  const steps = backend === "cpu" ? "1" : values.steps!;
  let lastError = "";
  for (const micro of [batch, 32, 16, 8].filter((m) => m <= batch)) {
    const child = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "tests/bench/train-step-worker.ts",
        "--backend",
        backend,
        "--model",
        model,
        "--batch",
        String(batch),
        "--micro",
        String(micro),
        "--steps",
        steps,
        "--precision",
        precision,
        ...(values.untuned ? ["--untuned"] : []),
      ],
      { encoding: "utf8", maxBuffer: 1 << 24 },
    );
    const line = child.stdout.trim().split("\n").pop() ?? "";
    if (child.status === 0 && line.startsWith("{")) return JSON.parse(line) as Result;
    const output = `${child.stderr}\n${child.stdout}`;
    if (/is not available here/.test(output)) return "not available on this machine";
    lastError =
      output
        .split("\n")
        .find((l) => /Error|Aborted/.test(l))
        ?.trim() ?? `exit ${child.status}`;
  }
  return `failed: ${lastError}`;
}

// The machine is shared: the load average says how much of it the figures had.
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
console.log(`bench:train — ${models.join(", ")} on ${backends.join(", ")}; references: ${JSON.stringify(REFERENCE)}`);
console.log(`load average at start: ${load()} (2 cores; backends of one model run back to back)`);
console.log("steal: CPU time the host gave to other guests during the f32 row's run (its figures are that much low)\n");
const header = [
  "model",
  "backend",
  "thr",
  "batch",
  "train img/s",
  "x ref",
  "GFLOP/s",
  "train bf16",
  "x ref",
  "infer img/s",
  "x ref",
  "infer bf16",
  "x ref",
  "peak RSS",
  "steal",
];
console.log(header.join("\t"));
const unavailable = new Set<string>();
const implementations = new Map<string, string>();
// Model by model, its backends back to back: neighbours' load then weighs on both sides of a comparison alike.
for (const model of models) {
  for (const backend of backends) {
    if (unavailable.has(backend)) continue;
    const { result, steal } = withStealShare(() => measure(backend, model));
    if (typeof result === "string") {
      console.log([model, backend, "", "", result].join("\t"));
      if (result.startsWith("not available")) unavailable.add(backend);
      continue;
    }
    if (result.implementations) implementations.set(backend, result.implementations);
    // onednn: training again with bf16 mixed-precision convolutions (AMX; f32 where the CPU has none), in its own process.
    const bf16 = backend === "onednn" ? measure(backend, model, "bf16") : null;
    const trainBf16 = typeof bf16 === "object" && bf16 !== null ? bf16.trainImagesPerSecond : undefined;
    // Ratios to the reference stack's ResNet34 figures; for other nets they say how far below its speed they run.
    const trainRatio = result.trainImagesPerSecond / REFERENCE.trainImagesPerSecond;
    const inferRatio = result.inferImagesPerSecond / REFERENCE.inferImagesPerSecond;
    const trainGflops = 3 * result.forwardGflopPerImage * result.trainImagesPerSecond;
    console.log(
      [
        model,
        backend,
        result.threads,
        result.micro === result.batch ? result.batch : `${result.batch} (micro ${result.micro})`,
        result.trainImagesPerSecond.toFixed(1),
        model === REFERENCE.model ? trainRatio.toFixed(2) : "",
        trainGflops.toFixed(1),
        trainBf16?.toFixed(1) ?? (typeof bf16 === "string" ? bf16 : ""),
        model === REFERENCE.model && trainBf16 ? (trainBf16 / REFERENCE.trainImagesPerSecond).toFixed(2) : "",
        result.inferImagesPerSecond.toFixed(1),
        model === REFERENCE.model ? inferRatio.toFixed(2) : "",
        result.inferBf16ImagesPerSecond?.toFixed(1) ?? "",
        model === REFERENCE.model && result.inferBf16ImagesPerSecond
          ? (result.inferBf16ImagesPerSecond / REFERENCE.inferImagesPerSecond).toFixed(2)
          : "",
        `${result.peakRssMiB.toFixed(0)} MiB`,
        steal == null ? "" : `${(100 * steal).toFixed(0)} %`,
      ].join("\t"),
    );
  }
}
console.log(`\nload average at end: ${load()}`);
for (const [backend, impls] of implementations) console.log(`${backend}: oneDNN picked ${impls}`);
