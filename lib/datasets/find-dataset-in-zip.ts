import { basename } from "node:path";
import { headerFields, identifyCsvHeader } from "./csv-header";
import { DatasetError } from "./dataset-error";
import { explainReadFailure } from "./explain-read-failure";
import { isJunkPath } from "./is-junk-path";
import { findMsambareRoot } from "./msambare-path";
import { sniffFirstLine } from "./sniff-file";
import type { DatasetFormat } from "./types";
import { listZipEntries, openZip, openZipEntry, type ZipFile } from "./zip-file";

/** Decides what a zip holds: the msambare folders, or one FER-2013 / FER+ CSV. Anything else or both is an error. */
export async function findDatasetInZip(path: string): Promise<DatasetFormat> {
  const name = basename(path);
  const zip = await openZip(path, name);
  try {
    const files = (await listZipEntries(zip, name)).filter((entry) => !isJunkPath(entry.fileName));
    const root = findMsambareRoot(
      files.map((entry) => entry.fileName),
      name,
    );
    const csvs: Array<{ entry: string; content: "fer2013" | "ferplus" }> = [];
    for (const entry of files.filter((file) => file.fileName.toLowerCase().endsWith(".csv"))) {
      const content = await csvContent(zip, entry).catch((error: unknown) => {
        throw explainReadFailure(error, name, "zip", `while reading ${entry.fileName}`);
      });
      if (content) csvs.push({ entry: entry.fileName, content });
    }
    if (root !== null && csvs.length > 0) {
      throw new DatasetError(
        `${name} holds both image folders (${root || "train/, test/"}) and ${csvs[0].entry}: extract the one to import`,
      );
    }
    if (root !== null) return { content: "folder", container: "zip", path, root };
    if (csvs.length > 1) {
      const listed = csvs.map((csv) => csv.entry).join(", ");
      throw new DatasetError(`${name} holds several dataset CSVs (${listed}): extract the one to import`);
    }
    if (csvs.length === 1) return { ...csvs[0], container: "zip", path };
    throw new DatasetError(
      explainEmptyZip(
        name,
        files.map((entry) => entry.fileName),
      ),
    );
  } finally {
    zip.close();
  }
}

async function csvContent(zip: ZipFile, entry: Parameters<typeof openZipEntry>[1]) {
  const stream = await openZipEntry(zip, entry);
  try {
    const line = await sniffFirstLine(stream);
    return line === null ? null : (identifyCsvHeader(headerFields(line))?.content ?? null);
  } finally {
    stream.destroy();
  }
}

function explainEmptyZip(name: string, paths: string[]): string {
  const expected = "expected train|test/<emotion>/*.jpg folders or a fer2013.csv";
  if (paths.length === 0) return `${name} is an empty zip: ${expected}`;
  const nested = paths.find((path) => /\.(zip|tar\.gz|tgz|tar|gz)$/i.test(path));
  const hint = nested ? `; it contains the archive ${nested}, extract that first` : "";
  return `${name} holds no dataset (${expected}); it holds ${paths.slice(0, 5).join(", ")}${paths.length > 5 ? ", ..." : ""}${hint}`;
}
