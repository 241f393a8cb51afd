import { eq } from "drizzle-orm";
import { importJobs } from "../../db/schema";
import type { Database } from "../db/client";
import { openDataset } from "../datasets/open-dataset";
import type { DatasetFormat, FerPlusRecord, Progress } from "../datasets/types";
import type { ObjectStore } from "../storage/object-store";
import { type IncomingImage, writeImageBatch } from "./image-batch-writer";
import { countSkip, emptySummary, type ImportSummary } from "./import-summary";
import { FER2013_SOURCE, writeVoteBatch } from "./vote-batch-writer";

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

/**
 * Imports a FER-2013 CSV (plain, gzip, tar.gz, zip), an msambare folder layout (folder or zip) or FER+ votes, told
 * by the file itself. Streams the input, writes in batches (each batch all or nothing), skips bad rows with a reason,
 * and adds nothing for rows an earlier run already took in. The job and its summary are recorded in import_jobs.
 */
export async function importDataset(options: ImportOptions): Promise<ImportSummary> {
  const { db, store } = options;
  const batchSize = options.batchSize ?? 4096;
  const started = performance.now();
  const reader = await openDataset(options.path, { concurrency: 8 });
  const formatName = describeFormat(reader.format);
  const summary = emptySummary(formatName);
  const [job] = await db.insert(importJobs).values({ sourcePath: options.path, format: formatName }).returning({ id: importJobs.id });

  let images: IncomingImage[] = [];
  let votes: FerPlusRecord[] = [];
  const report = () => options.onProgress?.({ ...reader.progress(), rowsRead: summary.rowsRead, summary });
  const flushImages = async () => {
    const outcome = await writeImageBatch(db, store, images, job.id);
    summary.imagesAdded += outcome.imagesAdded;
    summary.duplicatesLinked += outcome.duplicatesLinked;
    summary.alreadyImported += outcome.alreadyImported;
    images = [];
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
    votes = [];
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
            sourceRef: `row ${record.row}`,
            split: record.split,
            label: record.label,
            pixels: record.pixels,
          });
          break;
        case "folder":
          images.push({
            source: MSAMBARE_SOURCE,
            sourceRef: stripRoot(record.path, reader.format),
            split: record.split,
            label: record.label,
            pixels: record.pixels,
          });
          break;
        case "ferplus":
          votes.push(record);
          break;
      }
      if (images.length >= batchSize) await flushImages();
      if (votes.length >= batchSize) await flushVotes();
    }
    await flushImages();
    await flushVotes();
    summary.seconds = (performance.now() - started) / 1000;
    await db.update(importJobs).set({ status: "succeeded", summary, finishedAt: new Date() }).where(eq(importJobs.id, job.id));
    return summary;
  } catch (error) {
    summary.seconds = (performance.now() - started) / 1000;
    const message = error instanceof Error ? error.message : String(error);
    await db
      .update(importJobs)
      .set({ status: "failed", summary, error: message, finishedAt: new Date() })
      .where(eq(importJobs.id, job.id));
    throw error;
  } finally {
    await reader.close();
  }
}

function describeFormat(format: DatasetFormat): string {
  return `${format.content} (${format.container})`;
}

function stripRoot(path: string, format: DatasetFormat): string {
  return format.content === "folder" && format.root && path.startsWith(format.root) ? path.slice(format.root.length) : path;
}
