import { createReadStream } from "node:fs";
import { basename } from "node:path";
import { pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import tar from "tar-stream";
import { DatasetError } from "./dataset-error";
import type { DatasetFormat, Progress } from "./types";
import { listZipEntries, openZip, openZipEntry } from "./zip-file";

type CsvFormat = Extract<DatasetFormat, { content: "fer2013" | "ferplus" }>;

// Bigger than zlib's 16 KiB default: fewer, larger chunks for the line splitter.
const CHUNK_BYTES = 256 * 1024;

/**
 * The CSV's decompressed bytes, streamed from the file through gunzip / tar / zip as the format needs.
 * Updates `progress.bytesRead` with the compressed bytes consumed so far.
 */
export async function* csvChunks(format: CsvFormat, progress: Progress): AsyncGenerator<Buffer> {
  if (format.container === "zip") {
    yield* zipEntryChunks(format, progress);
    return;
  }
  const file = createReadStream(format.path, { highWaterMark: CHUNK_BYTES });
  const gzipped = format.container === "gzip" || format.container === "tar.gz";
  const gunzip = gzipped ? createGunzip({ chunkSize: CHUNK_BYTES }) : null;
  const bytes = gunzip ? pipeline(file, gunzip, () => {}) : file;
  try {
    if (format.container === "tar" || format.container === "tar.gz") {
      yield* tarEntryChunks(bytes, format, () => (progress.bytesRead = file.bytesRead));
    } else {
      for await (const chunk of bytes) {
        progress.bytesRead = file.bytesRead;
        yield chunk as Buffer;
      }
    }
  } finally {
    gunzip?.destroy();
    file.destroy();
  }
}

async function* tarEntryChunks(
  bytes: NodeJS.ReadableStream,
  format: CsvFormat,
  onChunk: () => void,
): AsyncGenerator<Buffer> {
  const extract = tar.extract();
  pipeline(bytes, extract, () => {});
  for await (const entry of extract) {
    if (entry.header.name !== format.entry) {
      entry.resume();
      continue;
    }
    for await (const chunk of entry) {
      onChunk();
      yield chunk as Buffer;
    }
    extract.destroy();
    return;
  }
  throw new DatasetError(`${basename(format.path)} no longer contains ${format.entry}`);
}

async function* zipEntryChunks(format: CsvFormat, progress: Progress): AsyncGenerator<Buffer> {
  const name = basename(format.path);
  const zip = await openZip(format.path, name);
  try {
    const entry = (await listZipEntries(zip, name)).find((candidate) => candidate.fileName === format.entry);
    if (!entry) throw new DatasetError(`${name} no longer contains ${format.entry}`);
    // yauzl hides the compressed position, so scale decompressed bytes by the entry's compression ratio.
    const ratio = entry.uncompressedSize > 0 ? entry.compressedSize / entry.uncompressedSize : 0;
    let unpacked = 0;
    for await (const chunk of await openZipEntry(zip, entry)) {
      unpacked += (chunk as Buffer).length;
      progress.bytesRead = Math.round(entry.relativeOffsetOfLocalHeader + unpacked * ratio);
      yield chunk as Buffer;
    }
  } finally {
    zip.close();
  }
}
