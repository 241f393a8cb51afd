/**
 * `npm run import -- <path>`: imports FER-2013 (CSV, .gz, .tar.gz, .zip), the msambare folder layout (folder or
 * .zip) or FER+ votes into the configured database and storage, with a progress bar. Uses the services of a running
 * `npm start` when there is one. Exit codes: see runImportCommand.
 */
import { SingleBar } from "cli-progress";
import { loadEnv } from "../config/env";
import { runImportCommand, USAGE } from "../import/run-import-command";
import { openServices } from "../runtime/services";

async function main() {
  const paths = process.argv.slice(2).filter((arg) => arg !== "--");
  if (paths.length === 0) {
    console.error(USAGE);
    process.exit(2);
  }
  const env = loadEnv();
  const services = await openServices(env);
  let code = 1;
  try {
    code = await runImportCommand(
      paths,
      { db: services.db, store: services.store, batchSize: env.IMPORT_BATCH_SIZE },
      {
        log: (line) => console.log(line),
        error: (line) => console.error(line),
        progress: () => {
          const bar = new SingleBar({
            format:
              " {bar} {percentage}% | {rows} rows | {rate} rows/s | ETA {eta_formatted} | added {added}, skipped {skipped}",
            hideCursor: true,
            etaBuffer: 50,
          });
          const started = performance.now();
          bar.start(1, 0, { rows: 0, rate: 0, added: 0, skipped: 0 });
          return {
            update: (p) => {
              const seconds = (performance.now() - started) / 1000;
              bar.setTotal(p.totalBytes || 1);
              bar.update(p.bytesRead, {
                rows: p.rowsRead,
                rate: Math.round(p.rowsRead / Math.max(seconds, 0.001)),
                added: p.summary.imagesAdded + p.summary.votesAdded,
                skipped: p.summary.skipped,
              });
            },
            done: () => {
              bar.update(bar.getTotal());
              bar.stop();
            },
          };
        },
      },
    );
  } finally {
    await services.close();
  }
  process.exit(code);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
