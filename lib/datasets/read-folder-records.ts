import { basename } from "node:path";
import { decodeFace } from "./decode-face";
import { explainReadFailure } from "./explain-read-failure";
import type { FolderSource, SourceFile } from "./folder-source";
import { readImagePath } from "./msambare-path";
import { orderedMap } from "./ordered-map";
import type { DatasetFormat, DatasetRecord, Progress } from "./types";

type FolderFormat = Extract<DatasetFormat, { content: "folder" }>;

/**
 * Streams the images of an msambare directory or zip as records, in path order, reading and decoding up to
 * `concurrency` images at once. Images that cannot be used become skip records; an unreadable file or a corrupt
 * zip entry throws, after every record before it.
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
    let bytes: Buffer;
    try {
      bytes = await source.read(file);
    } catch (error) {
      throw explainReadFailure(error, name, format.container, `while reading ${file.path}`);
    }
    const decoded = await decodeFace(bytes);
    if (!("pixels" in decoded)) return { kind: "skip", where, ...decoded };
    return { kind: "folder", path: file.path, label: meaning.label, split: meaning.split, pixels: decoded.pixels };
  };
  let index = 0;
  for await (const record of orderedMap(source.files, concurrency, toRecord)) {
    progress.bytesRead += source.files[index++].size;
    yield record;
  }
  progress.bytesRead = progress.totalBytes;
}
