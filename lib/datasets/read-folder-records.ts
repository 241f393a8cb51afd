import { basename } from "node:path";
import { decodeFace } from "./decode-face";
import { explainReadFailure } from "./explain-read-failure";
import { type FolderSource, MAX_IMAGE_FILE_BYTES, type SourceFile } from "./folder-source";
import { readImagePath } from "./msambare-path";
import { orderedMap } from "./ordered-map";
import type { DatasetFormat, DatasetRecord, Progress } from "./types";

type FolderFormat = Extract<DatasetFormat, { content: "folder" }>;

/**
 * Streams the images of an msambare directory or zip as records, in path order, reading and decoding up to
 * `concurrency` images at once. Images that cannot be used, files too big to be a face (checked before reading), links
 * the source would not follow and files that cannot be read (a corrupt zip entry) become skip records.
 */
export async function* readFolderRecords(
  format: FolderFormat,
  source: FolderSource,
  progress: Progress,
  concurrency: number,
): AsyncGenerator<DatasetRecord> {
  const name = basename(format.path);
  const toRecord = async (file: SourceFile): Promise<DatasetRecord> => {
    const where = file.path;
    if (!file.path.startsWith(format.root)) {
      return {
        kind: "skip",
        where,
        code: "folder",
        reason: `outside ${format.root}, where the train/test folders are`,
      };
    }
    const meaning = readImagePath(file.path.slice(format.root.length));
    if (!("label" in meaning)) return { kind: "skip", where, ...meaning };
    if (file.contentSize > MAX_IMAGE_FILE_BYTES) {
      const reason = `file is ${file.contentSize} bytes, far more than a 48x48 face needs (limit ${MAX_IMAGE_FILE_BYTES}): not read`;
      return { kind: "skip", where, code: "image-size", reason };
    }
    let bytes: Buffer;
    try {
      bytes = await source.read(file);
    } catch (error) {
      const explained = explainReadFailure(error, name, format.container, `while reading ${file.path}`);
      return { kind: "skip", where, code: "unreadable", reason: explained.message };
    }
    const decoded = await decodeFace(bytes);
    if (!("pixels" in decoded)) return { kind: "skip", where, ...decoded };
    return { kind: "folder", path: file.path, label: meaning.label, split: meaning.split, pixels: decoded.pixels };
  };
  for (const skip of source.skipped) yield skip;
  let index = 0;
  for await (const record of orderedMap(source.files, concurrency, toRecord)) {
    progress.bytesRead += source.files[index++].size;
    yield record;
  }
  progress.bytesRead = progress.totalBytes;
}
