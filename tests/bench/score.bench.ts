/**
 * `npm run bench:score [-- --backends onednn,wasm --faces 35887 --batch 256 --precisions bf16,f32]`: pool scoring, the
 * way the curation rounds score every face (probabilities, confidence, entropy, margin and the embedding), of the full
 * FER-2013 pool size by the compact net, per backend, each in its own process. Target: 35,887 faces in <= 30 s. Pixels are
 * generated: speed does not depend on what the faces show. Pool scoring computes in bf16 where oneDNN has AMX code (the
 * default, `scoreFaces`), f32 otherwise; both are printed for onednn.
 */
import { spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== "--"),
  options: {
    backends: { type: "string", default: "onednn,wasm" },
    faces: { type: "string", default: "35887" },
    batch: { type: "string", default: "256" },
    precisions: { type: "string", default: "bf16,f32" },
    worker: { type: "string" },
    precision: { type: "string", default: "bf16" },
  },
});
const faces = Number(values.faces);
const batch = Number(values.batch);

if (values.worker) {
  const tf = await import("@tensorflow/tfjs");
  const { buildCompact } = await import("../../lib/models");
  const { selectBackend } = await import("../../lib/tf/select-backend");
  const { scoreFaces } = await import("../../lib/training/evaluate");
  const selected = await selectBackend({ prefer: values.worker as "onednn" | "wasm" });
  if (selected.backend !== values.worker) throw new Error(`backend ${values.worker} is not available here`);
  tf.enableProdMode();
  const model = buildCompact();
  const pixels = new Uint8Array(faces * 2304).map(() => Math.floor(Math.random() * 256));
  const options = { batchSize: batch, embedding: true, precision: values.precision as "bf16" | "f32" };
  await scoreFaces(model, pixels.subarray(0, batch * 2304), options); // warm-up
  const start = performance.now();
  const scores = await scoreFaces(model, pixels, options);
  const seconds = (performance.now() - start) / 1000;
  if (scores.predicted.length !== faces) throw new Error(`scored ${scores.predicted.length} of ${faces} faces`);
  console.log(JSON.stringify({ seconds, peakRssMiB: process.resourceUsage().maxRSS / 1024 }));
  process.exit(0);
}

console.log(
  `bench:score — ${faces} faces by the compact net, batch ${batch}; load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
const POOL = 35887;
console.log(["backend", "precision", "seconds", "faces/s", `${POOL} faces (s)`, "<= 30 s", "peak RSS"].join("\t"));
// bf16 is a oneDNN option (AMX); the other backends compute in f32 whatever is asked.
const runs = values
  .backends!.split(",")
  .flatMap((backend) =>
    (backend === "onednn" ? values.precisions!.split(",") : ["f32"]).map((precision) => ({ backend, precision })),
  );
for (const { backend, precision } of runs) {
  const child = spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "tests/bench/score.bench.ts",
      "--worker",
      backend,
      "--faces",
      String(faces),
      "--batch",
      String(batch),
      "--precision",
      precision,
    ],
    { encoding: "utf8", maxBuffer: 1 << 24 },
  );
  const line = child.stdout.trim().split("\n").pop() ?? "";
  if (child.status !== 0 || !line.startsWith("{")) {
    const why = `${child.stderr}`.split("\n").find((l) => /Error/.test(l)) ?? `exit ${child.status}`;
    console.log([backend, precision, `failed: ${why.trim().slice(0, 200)}`].join("\t"));
    continue;
  }
  const { seconds, peakRssMiB } = JSON.parse(line) as { seconds: number; peakRssMiB: number };
  const poolSeconds = (POOL * seconds) / faces;
  console.log(
    [
      backend,
      precision,
      seconds.toFixed(1),
      (faces / seconds).toFixed(0),
      poolSeconds.toFixed(1),
      poolSeconds <= 30 ? "yes" : "no",
      `${peakRssMiB.toFixed(0)} MiB`,
    ].join("\t"),
  );
}
console.log(
  `load after: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
