import { and, eq, inArray, sql } from "drizzle-orm";
import { importJobs } from "../../db/schema";
import type { Database } from "../db/client";
import { describeDatabaseError } from "../db/describe-database-error";
import { DatasetError } from "../datasets/dataset-error";
import { faceContentHash } from "../images/face-hash";
import { storageFailure } from "../storage/storage-failure";
import { openDataset } from "../datasets/open-dataset";
import { removeDemoData } from "../demo/remove-demo-data";
import type { DatasetFormat, FerPlusRecord, Progress } from "../datasets/types";
import type { ObjectStore } from "../storage/object-store";
import { type IncomingImage, writeImageBatch } from "./image-batch-writer";
import { markInterruptedImports, touchImportJob } from "./import-jobs";
import { countSkip, emptySummary, type ImportSummary } from "./import-summary";
import { checkImageName, FER2013_SOURCE, writeVoteBatch } from "./vote-batch-writer";

export interface ImportProgress extends Progress {
  rowsRead: number;
  summary: ImportSummary;
}

export interface ImportOptions {
  db: Database;
  store: ObjectStore;
  path: string;
  /** Rows per S3 shard and database transaction. */
  batchSize?: number;
  onProgress?: (progress: ImportProgress) => void;
}

/** The source name that rows of each input kind are recorded under. */
const MSAMBARE_SOURCE = "msambare";

/** An import that stopped: the message says why (no SQL, no data), the summary what was stored before. */
export class ImportFailedError extends Error {
  constructor(
    message: string,
    readonly summary: ImportSummary,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "ImportFailedError";
  }
}

/**
 * Imports a FER-2013 CSV (plain, gzip, tar.gz, zip), an msambare folder layout (folder or zip) or FER+ votes, told
 * by the file itself. Streams the input, writes in batches (each batch all or nothing), skips bad rows with a reason,
 * and adds nothing for rows an earlier run already took in. The job and its summary are recorded in import_jobs.
 *
 * A row's identity is its content (face hash, label, declared split, and which repeat of that triple in its file it
 * is), not its position: the same file imported again, or recompressed, adds nothing; a different file adds its
 * faces; the same face with another label in another file is recorded as that file's label for it.
 */
export async function importDataset(options: ImportOptions): Promise<ImportSummary> {
  const { db, store } = options;
  const batchSize = options.batchSize ?? 4096;
  const started = performance.now();
  const reader = await openDataset(options.path, { concurrency: 8 });
  const formatName = describeFormat(reader.format);
  const summary = emptySummary(formatName);
  await markInterruptedImports(db);
  const earlier = await db
    .select({ id: importJobs.id })
    .from(importJobs)
    .where(and(eq(importJobs.sourcePath, options.path), inArray(importJobs.status, ["interrupted", "failed"])));
  if (earlier.length > 0) summary.resumes = earlier.map((job) => job.id);
  const [job] = await db
    .insert(importJobs)
    .values({ sourcePath: options.path, format: formatName })
    .returning({ id: importJobs.id });
  const occurrences = new Map<string, number>();
  const contentRef = (pixels: Uint8Array, label: number | null, split: string) => {
    const key = `${faceContentHash(pixels)}:${label ?? "-"}:${split}`;
    const n = (occurrences.get(key) ?? 0) + 1;
    occurrences.set(key, n);
    return `${key}#${n}`;
  };

  let images: IncomingImage[] = [];
  let votes: FerPlusRecord[] = [];
  const report = () => options.onProgress?.({ ...reader.progress(), rowsRead: summary.rowsRead, summary });
  let demoChecked = false;
  const flushImages = async () => {
    if (!demoChecked && images.length > 0) {
      // Real faces are arriving: the synthetic demo (faces and model) leaves first, in one step.
      summary.demoRemoved = (await removeDemoData(db, store)) ?? undefined;
      demoChecked = true;
    }
    const outcome = await writeImageBatch(db, store, images, job.id);
    summary.imagesAdded += outcome.imagesAdded;
    summary.duplicatesLinked += outcome.duplicatesLinked;
    summary.alreadyImported += outcome.alreadyImported;
    images = [];
    await touchImportJob(db, job.id);
    report();
  };
  const flushVotes = async () => {
    const outcome = await writeVoteBatch(db, votes, job.id);
    summary.votesAdded += outcome.votesAdded;
    summary.alreadyImported += outcome.alreadyImported;
    summary.markedNotFace += outcome.markedNotFace;
    for (const record of outcome.missingImages) {
      countSkip(summary, "no-image", `row ${record.row}`, "its FER-2013 row is not imported: import fer2013.csv first");
    }
    for (const { record, reason } of outcome.mismatched) countSkip(summary, "mismatch", `row ${record.row}`, reason);
    votes = [];
    await touchImportJob(db, job.id);
    report();
  };

  try {
    for await (const record of reader) {
      summary.rowsRead++;
      switch (record.kind) {
        case "skip":
          countSkip(summary, record.code, record.where, record.reason);
          break;
        case "fer2013":
          images.push({
            source: FER2013_SOURCE,
            sourceRef: contentRef(record.pixels, record.label, record.split),
            sourceRow: record.row,
            split: record.split,
            label: record.label,
            pixels: record.pixels,
          });
          break;
        case "folder":
          images.push({
            source: MSAMBARE_SOURCE,
            sourceRef: contentRef(record.pixels, record.label, record.split),
            split: record.split,
            label: record.label,
            pixels: record.pixels,
          });
          break;
        case "ferplus": {
          const misnamed = checkImageName(record);
          if (misnamed) countSkip(summary, "mismatch", `row ${record.row}`, misnamed);
          else votes.push(record);
          break;
        }
      }
      if (images.length >= batchSize) await flushImages();
      if (votes.length >= batchSize) await flushVotes();
    }
    await flushImages();
    await flushVotes();
    // Fresh planner statistics after a bulk load: with the empty-table estimates, per-face lookups on vote_counts
    // (the image_votes view) were planned as scans of every FER+ row, minutes instead of a second for 35k faces.
    if (summary.rowsRead > 0) await db.execute(sql`analyze images, image_sources, annotations, vote_counts`);
    summary.seconds = (performance.now() - started) / 1000;
    await db
      .update(importJobs)
      .set({ status: "succeeded", summary, finishedAt: new Date() })
      .where(eq(importJobs.id, job.id));
    return summary;
  } catch (error) {
    summary.seconds = (performance.now() - started) / 1000;
    const message =
      error instanceof DatasetError
        ? error.message
        : (storageFailure(error)?.message ?? `the database refused a batch: ${describeDatabaseError(error)}`);
    await db
      .update(importJobs)
      .set({ status: "failed", summary, error: message, finishedAt: new Date() })
      .where(eq(importJobs.id, job.id))
      .catch(() => {}); // the database may be what failed; the error below says so
    throw new ImportFailedError(message, summary, { cause: error });
  } finally {
    await reader.close();
  }
}

function describeFormat(format: DatasetFormat): string {
  return `${format.content} (${format.container})`;
}
