/**
 * `npm run import -- <path>`: imports FER-2013 (CSV, .gz, .tar.gz, .zip), the msambare folder layout (folder or
 * .zip) or FER+ votes into the configured database and storage, with a progress bar. Uses the services of a running
 * `npm start` when there is one.
 */
import fs from "node:fs";
import { SingleBar } from "cli-progress";
import { loadEnv } from "../config/env";
import { ImportFailedError, importDataset } from "../import/import-dataset";
import { describeKept, formatSummary } from "../import/import-summary";
import { openServices } from "../runtime/services";

async function main() {
  const paths = process.argv.slice(2).filter((arg) => arg !== "--");
  if (paths.length === 0) {
    console.error("usage: npm run import -- <fer2013.csv[.gz] | fer2013.tar.gz | archive.zip | folder | fer2013new.csv> ...");
    process.exit(2);
  }
  for (const path of paths) {
    if (!fs.existsSync(path)) throw new Error(`${path}: no such file or folder`);
  }
  const env = loadEnv();
  const services = await openServices(env);
  let failed = false;
  try {
    for (const path of paths) {
      console.log(`importing ${path}`);
      const bar = new SingleBar({
        format: " {bar} {percentage}% | {rows} rows | {rate} rows/s | ETA {eta_formatted} | added {added}, skipped {skipped}",
        hideCursor: true,
        etaBuffer: 50,
      });
      const started = performance.now();
      bar.start(1, 0, { rows: 0, rate: 0, added: 0, skipped: 0 });
      try {
        const summary = await importDataset({
          db: services.db,
          store: services.store,
          path,
          batchSize: env.IMPORT_BATCH_SIZE,
          onProgress: (p) => {
            const seconds = (performance.now() - started) / 1000;
            bar.setTotal(p.totalBytes || 1);
            bar.update(p.bytesRead, {
              rows: p.rowsRead,
              rate: Math.round(p.rowsRead / Math.max(seconds, 0.001)),
              added: p.summary.imagesAdded + p.summary.votesAdded,
              skipped: p.summary.skipped,
            });
          },
        });
        bar.update(bar.getTotal());
        bar.stop();
        console.log(formatSummary(summary));
      } catch (error) {
        bar.stop();
        failed = true;
        console.error(`import of ${path} failed: ${error instanceof Error ? error.message : error}`);
        if (error instanceof ImportFailedError) console.error(describeKept(error.summary));
      }
    }
  } finally {
    await services.close();
  }
  process.exit(failed ? 1 : 0);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
