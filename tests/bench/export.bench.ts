/**
 * `npm run bench:export [-- --csv <fer2013.csv[.gz]> --votes <fer2013new.csv>]`: imports the shared FER-2013 set
 * (default ../shared/fer2013) into a throwaway Postgres + S3, then times making a snapshot of the whole set and
 * writing each of its files, with peak memory and memory at 25/50/75/100 % of each file (flat = streaming): RSS, and
 * the heap and buffers still held after a full collection (what grows if the writer holds on to the set). The S3
 * server runs in its own process, so the memory figures are the exporter's alone. Prints the machine's load too:
 * these machines are shared.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { refreshConsensus } from "../../lib/curation/consensus/refresh-consensus";
import { importDataset } from "../../lib/import/import-dataset";
import { buildSnapshotFiles } from "../../lib/snapshots/build-snapshot-files";
import { createSnapshot } from "../../lib/snapshots/create-snapshot";
import { getSnapshot } from "../../lib/snapshots/list-snapshots";
import { SNAPSHOT_FILES, type SnapshotFileName } from "../../lib/snapshots/snapshot-file-names";
import { snapshotFileResponse } from "../../lib/snapshots/snapshot-file-response";
import { startBenchServices } from "../support/bench-services";
import { freePort } from "../support/free-port";

const { values } = parseArgs({
  options: {
    csv: { type: "string", default: "../shared/fer2013/fer2013.csv.gz" },
    votes: { type: "string", default: "../shared/fer2013/fer2013new.csv" },
  },
  allowPositionals: true,
});
for (const file of [values.csv, values.votes]) {
  if (!fs.existsSync(file)) {
    console.error(`no ${file}: npm run bench:export -- --csv <fer2013.csv[.gz]> --votes <fer2013new.csv>`);
    process.exit(2);
  }
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");
const gc = (globalThis as { gc?: () => void }).gc;

const s3 = await startS3Process();
process.env.BENCH_S3_ENDPOINT = s3.endpoint;
const services = await startBenchServices();
const { db } = services.database;
const { store } = services;
console.log(`export benchmark on ${os.cpus().length} CPUs (${os.cpus()[0]?.model}); load average ${load()}`);
console.log(`against: ${services.describe} (S3 in its own process)\n`);

/** Runs `task`, sampling this process's RSS every 20 ms; returns seconds and the peak. */
async function measured<T>(task: () => Promise<T>): Promise<{ result: T; seconds: number; peak: number; before: number }> {
  gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = performance.now();
  try {
    const result = await task();
    return { result, seconds: (performance.now() - started) / 1000, peak: Math.max(peak, process.memoryUsage().rss), before };
  } finally {
    clearInterval(sampler);
  }
}

try {
  const imported = await measured(async () => {
    const faces = await importDataset({ db, store, path: values.csv });
    const votes = await importDataset({ db, store, path: values.votes });
    return { faces, votes };
  });
  console.log(
    `import: ${imported.result.faces.imagesAdded} faces, ${imported.result.votes.votesAdded} FER+ vote rows in ${imported.seconds.toFixed(1)} s (setup, not the export)`,
  );

  const consensus = await measured(() => refreshConsensus(db));
  console.log(`consensus (lib/curation, first full computation): ${consensus.result} faces in ${consensus.seconds.toFixed(1)} s\n`);

  for (const labelMethod of ["original", "majority", "dawid-skene"] as const) {
    const made = await measured(() =>
      createSnapshot(db, { name: `bench ${labelMethod}`, filter: { labelMethod, png: labelMethod === "original" } as never }, null),
    );
    console.log(
      `snapshot (${labelMethod.padEnd(11)}): ${made.result.imageCount} faces frozen in ${made.seconds.toFixed(2)} s, ` +
        `peak RSS ${mib(made.peak)} (start ${mib(made.before)})`,
    );
  }

  const snapshot = (await getSnapshot(db, 1))!;
  console.log(`\nfiles of snapshot v1 (${snapshot.imageCount} faces, original labels), each written once to S3:`);
  for (const name of Object.keys(SNAPSHOT_FILES) as SnapshotFileName[]) {
    let next = 0.25;
    const quarters: string[] = [];
    const built = await measured(() =>
      buildSnapshotFiles(db, store, snapshot.id, {
        names: [name],
        onProgress: ({ items, totalItems }) => {
          while (totalItems > 0 && items / totalItems >= next - 1e-9) {
            // RSS as it stands, then what stays after a full collection: garbage waiting for the collector grows
            // RSS too, only memory that is still held shows whether the writer's footprint grows with the set.
            const rss = process.memoryUsage().rss;
            gc?.();
            const held = process.memoryUsage();
            quarters.push(`${Math.round(next * 100)}%: ${mib(rss)}, held ${mib(held.heapUsed + held.external)}`);
            next += 0.25;
          }
        },
      }),
    );
    const file = built.result[0];
    console.log(
      `  ${name.padEnd(16)} ${file.seconds.toFixed(2).padStart(6)} s  ${mib(file.sizeBytes).padStart(8)}  ` +
        `${((file.sizeBytes / 2 ** 20) / file.seconds).toFixed(0).padStart(4)} MiB/s  peak RSS ${mib(built.peak)} ` +
        `(start ${mib(built.before)}; RSS by progress ${quarters.join("; ")})`,
    );
  }

  const ready = (await getSnapshot(db, snapshot.id))!;
  const csv = ready.files.find((f) => f.name === "fer2013.csv")!;
  const download = await measured(async () => {
    const response = await snapshotFileResponse(new Request("http://bench/fer2013.csv?via=app"), ready, "fer2013.csv", store);
    let bytes = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
    return bytes;
  });
  console.log(
    `\ndownload of fer2013.csv through the web handler (streamed from S3, 4 MiB Range GETs): ${mib(download.result)} in ` +
      `${download.seconds.toFixed(2)} s, peak RSS ${mib(download.peak)} (start ${mib(download.before)}); file ${mib(csv.sizeBytes ?? 0)}`,
  );
  console.log(`\nload average at the end: ${load()}`);
} finally {
  await services.stop();
  await s3.stop();
}

async function startS3Process(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "faceloop-bench-export-s3-"));
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", "tests/support/serve-s3.ts", "--port", String(port), "--dir", dir],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  await new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`S3 server exited (${code})`)));
    child.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("S3 server at")) resolve();
    });
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async stop() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
