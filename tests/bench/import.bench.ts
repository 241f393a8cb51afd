/**
 * `npm run bench:import -- <path>`: a full import of a FER-2013 file into Postgres + S3, then the same import again,
 * printing rows/s, seconds and peak memory (and memory at each quarter of the file, which should stay flat).
 */
import fs from "node:fs";
import { sql } from "drizzle-orm";
import { queryRows } from "../../lib/db/query-rows";
import { importDataset } from "../../lib/import/import-dataset";
import { startBenchServices } from "../support/bench-services";

const path = process.argv.slice(2).find((a) => a !== "--");
if (!path || !fs.existsSync(path)) {
  console.error("usage: npm run bench:import -- <fer2013.csv[.gz] | folder | zip>  (e.g. ../shared/fer2013/fer2013.csv.gz)");
  process.exit(2);
}

const services = await startBenchServices();
console.log(`import benchmark: ${path}\nagainst: ${services.describe}\n`);
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

async function run(label: string) {
  let peak = process.memoryUsage().rss;
  const quarters: string[] = [];
  let nextQuarter = 0.25;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const started = performance.now();
  const summary = await importDataset({
    db: services.database.db,
    store: services.store,
    path: path!,
    onProgress: (p) => {
      const rss = process.memoryUsage().rss;
      peak = Math.max(peak, rss);
      while (p.totalBytes > 0 && p.bytesRead / p.totalBytes >= nextQuarter) {
        quarters.push(`${Math.round(nextQuarter * 100)}%: ${mib(rss)}`);
        nextQuarter += 0.25;
      }
    },
  });
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${label.padEnd(10)} ${summary.rowsRead} rows in ${seconds.toFixed(2)} s = ${Math.round(summary.rowsRead / seconds)} rows/s; ` +
      `added ${summary.imagesAdded}, duplicates ${summary.duplicatesLinked}, already there ${summary.alreadyImported}, skipped ${summary.skipped}; ` +
      `peak RSS ${mib(peak)} (RSS by progress: ${quarters.join(", ")})`,
  );
}

try {
  await run("import");
  await run("re-import");
  const [counts] = await queryRows<{ images: number; sources: number; shards: number }>(
    services.database.db,
    sql`select (select count(*)::int from images) as images, (select count(*)::int from image_sources) as sources,
               (select count(distinct storage_key)::int from images) as shards`,
  );
  console.log(`\ndatabase: ${counts.images} images from ${counts.sources} source rows, in ${counts.shards} S3 shard objects`);
} finally {
  await services.stop();
}
