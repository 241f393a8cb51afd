import fs from "node:fs";
import type { Database } from "../db/client";
import type { ObjectStore } from "../storage/object-store";
import { type ImportProgress, ImportFailedError, importDataset } from "./import-dataset";
import { describeKept, formatSummary } from "./import-summary";

export const USAGE =
  "usage: npm run import -- <fer2013.csv[.gz] | fer2013.tar.gz | archive.zip | folder | fer2013new.csv> ...";

export interface ImportCommandIo {
  log(line: string): void;
  error(line: string): void;
  /** One progress callback per input, e.g. a progress bar; `done` when that input ends either way. */
  progress?(path: string): { update(progress: ImportProgress): void; done(): void };
}

/**
 * What `npm run import` does with its arguments once the services are open: each input in turn, its summary or
 * the reason it stopped. Exit code 0 when every input was imported (rows skipped with reasons included), 1 when
 * one failed, 2 for a usage error (no input, a path that does not exist) before anything was written.
 */
export async function runImportCommand(
  paths: string[],
  services: { db: Database; store: ObjectStore; batchSize?: number },
  io: ImportCommandIo,
): Promise<number> {
  if (paths.length === 0) {
    io.error(USAGE);
    return 2;
  }
  const missing = paths.filter((path) => !fs.existsSync(path));
  if (missing.length > 0) {
    for (const path of missing) io.error(`${path}: no such file or folder (nothing was imported)`);
    return 2;
  }
  let failed = false;
  for (const path of paths) {
    io.log(`importing ${path}`);
    const progress = io.progress?.(path);
    try {
      const summary = await importDataset({ ...services, path, onProgress: (p) => progress?.update(p) });
      progress?.done();
      io.log(formatSummary(summary));
    } catch (error) {
      progress?.done();
      failed = true;
      io.error(`import of ${path} failed: ${error instanceof Error ? error.message : String(error)}`);
      if (error instanceof ImportFailedError) io.error(describeKept(error.summary));
      else io.error("nothing from this run was stored; fix the input and run the import again.");
    }
  }
  return failed ? 1 : 0;
}
