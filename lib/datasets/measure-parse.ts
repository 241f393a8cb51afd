/**
 * Times the parsers on real data (development only): `npx tsx lib/datasets/measure-parse.ts [path ...] [--csv-parse]`.
 * Defaults to the shared fer2013.csv.gz. `--csv-parse` also times csv-parse on the same gzip'd CSV for comparison.
 */
import { createReadStream } from "node:fs";
import { pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import { parse } from "csv-parse";
import { describeFormat } from "./describe-format";
import { openDataset } from "./open-dataset";
import { parsePixels } from "./parse-pixels";

const args = process.argv.slice(2);
const paths = args.filter((arg) => !arg.startsWith("--"));
if (paths.length === 0) paths.push("../shared/fer2013/fer2013.csv.gz");

for (const path of paths) {
  const started = performance.now();
  const reader = await openDataset(path);
  const counts = new Map<string, number>();
  for await (const record of reader) {
    const key = record.kind === "skip" ? `skip ${record.code}` : record.kind;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  report(`${path}: ${describeFormat(reader.format)}`, started, counts);
}

if (args.includes("--csv-parse")) {
  const path = paths.find((p) => p.endsWith(".csv.gz")) ?? "../shared/fer2013/fer2013.csv.gz";
  const started = performance.now();
  const rows = pipeline(createReadStream(path), createGunzip(), parse({ from_line: 2 }), () => {});
  const counts = new Map<string, number>();
  for await (const [, pixels] of rows as AsyncIterable<string[]>) {
    const key = "pixels" in parsePixels(Buffer.from(pixels)) ? "ok" : "bad";
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  report(`${path}: csv-parse + parsePixels`, started, counts);
}

function report(label: string, started: number, counts: Map<string, number>) {
  const seconds = (performance.now() - started) / 1000;
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const peakMiB = process.resourceUsage().maxRSS / 1024;
  console.log(
    `${label}\n  ${total} records in ${seconds.toFixed(2)} s = ${Math.round(total / seconds)} records/s, peak RSS so far ${peakMiB.toFixed(0)} MiB`,
  );
  console.log(`  ${[...counts].map(([key, n]) => `${key}: ${n}`).join(", ")}`);
}
