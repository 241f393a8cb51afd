import { stat } from "node:fs/promises";
import { basename } from "node:path";
import { explainUnknownHeader, headerFields, identifyCsvHeader } from "./csv-header";
import { DatasetError } from "./dataset-error";
import { findCsvInTar } from "./find-csv-in-tar";
import { findDatasetInZip } from "./find-dataset-in-zip";
import { findFolderRoot } from "./find-folder-root";
import {
  firstLine,
  gunzipFileStart,
  isEmptyZip,
  isGzip,
  isTar,
  isZip,
  looksLikeText,
  otherFormatName,
  readFileStart,
} from "./sniff-file";
import type { DatasetFormat } from "./types";

const SNIFF_BYTES = 64 * 1024;

/**
 * Works out what `path` holds from its content, not its name: an msambare folder (or zip of one), or a FER-2013 /
 * FER+ CSV that may be gzip'd, inside a tar(.gz), or inside a zip. Throws a DatasetError saying why otherwise.
 */
export async function detectFormat(path: string): Promise<DatasetFormat> {
  const name = basename(path);
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new DatasetError(
      error.code === "ENOENT" ? `${path} does not exist` : `cannot open ${path}: ${error.message}`,
    );
  });
  if (info.isDirectory()) return { content: "folder", container: "directory", path, root: await findFolderRoot(path) };
  if (info.size === 0) throw new DatasetError(`${name} is empty`);
  const start = await readFileStart(path, SNIFF_BYTES);
  if (isEmptyZip(start)) throw new DatasetError(`${name} is an empty zip`);
  if (isZip(start)) return findDatasetInZip(path);
  if (isTar(start)) {
    const { entry, layout } = await findCsvInTar(path, name, false);
    return { content: layout.content, container: "tar", path, entry };
  }
  if (isGzip(start)) return detectGzip(path, name);
  return { content: csvContent(name, start, start.length === info.size), container: "csv", path };
}

async function detectGzip(path: string, name: string): Promise<DatasetFormat> {
  const inner = await gunzipFileStart(path, SNIFF_BYTES).catch((error: Error) => {
    throw new DatasetError(`${name} starts like gzip but cannot be decompressed (${error.message})`, { cause: error });
  });
  if (isTar(inner)) {
    const { entry, layout } = await findCsvInTar(path, name, true);
    return { content: layout.content, container: "tar.gz", path, entry };
  }
  return { content: csvContent(name, inner, inner.length < SNIFF_BYTES), container: "gzip", path };
}

function csvContent(name: string, start: Buffer, complete: boolean): "fer2013" | "ferplus" {
  const other = otherFormatName(start);
  if (other) throw new DatasetError(`${name} is ${other}, not a dataset: expected a CSV, a zip, a tar.gz or a folder`);
  if (!looksLikeText(start)) {
    const magic = start.subarray(0, 4).toString("hex");
    throw new DatasetError(`${name} is not a CSV, zip, tar or gzip file (it starts with bytes ${magic})`);
  }
  const line = firstLine(start, complete);
  if (line === null) throw new DatasetError(`${name} has no header line in its first ${SNIFF_BYTES / 1024} KiB`);
  const fields = headerFields(line);
  const layout = identifyCsvHeader(fields);
  if (layout === null) throw new DatasetError(explainUnknownHeader(name, fields));
  return layout.content;
}
