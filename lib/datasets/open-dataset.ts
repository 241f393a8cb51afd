import { stat } from "node:fs/promises";
import { detectFormat } from "./detect-format";
import { openFolderSource } from "./folder-source";
import { readCsvRecords } from "./read-csv-records";
import { readFolderRecords } from "./read-folder-records";
import type { DatasetFormat, DatasetReader, DatasetRecord, OpenDatasetOptions, Progress } from "./types";

const DEFAULT_CONCURRENCY = 4;

/**
 * Opens any supported input (detecting its format unless one is given) as a single-pass stream of records.
 * Nothing is held beyond the records in flight: CSVs stream through gunzip/tar/zip, folders decode a few images ahead.
 */
export async function openDataset(
  input: string | DatasetFormat,
  options: OpenDatasetOptions = {},
): Promise<DatasetReader> {
  const format = typeof input === "string" ? await detectFormat(input) : input;
  const progress: Progress = { bytesRead: 0, totalBytes: 0 };
  let records: AsyncGenerator<DatasetRecord>;
  let closeSource = async () => {};
  if (format.content === "folder") {
    const source = await openFolderSource(format);
    progress.totalBytes = source.totalBytes;
    records = readFolderRecords(format, source, progress, options.concurrency ?? DEFAULT_CONCURRENCY);
    let closed: Promise<void> | null = null;
    closeSource = () => (closed ??= source.close());
  } else {
    progress.totalBytes = (await stat(format.path)).size;
    records = readCsvRecords(format, progress);
  }
  const finishing = async function* () {
    try {
      yield* records;
    } finally {
      await closeSource();
    }
  };
  const stream = finishing();
  return {
    format,
    progress: () => ({ ...progress }),
    close: async () => {
      await stream.return(undefined);
      await closeSource();
    },
    [Symbol.asyncIterator]: () => stream,
  };
}
