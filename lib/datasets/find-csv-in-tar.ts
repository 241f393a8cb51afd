import { createReadStream } from "node:fs";
import { pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import tar from "tar-stream";
import { headerFields, identifyCsvHeader, type CsvLayout } from "./csv-header";
import { DatasetError } from "./dataset-error";
import { explainReadFailure } from "./explain-read-failure";
import { isJunkPath } from "./is-junk-path";
import { sniffFirstLine } from "./sniff-file";

/**
 * Finds the first `.csv` entry of a tar (optionally gzip'd) whose header is FER-2013's or FER+'s. A tar has no
 * index, so this streams until that entry and stops there; Kaggle's fer2013.tar.gz has the CSV near the front.
 */
export async function findCsvInTar(
  path: string,
  name: string,
  gzipped: boolean,
): Promise<{ entry: string; layout: CsvLayout }> {
  const file = createReadStream(path);
  const extract = tar.extract();
  const container = gzipped ? "tar.gz" : "tar";
  if (gzipped) pipeline(file, createGunzip(), extract, () => {});
  else pipeline(file, extract, () => {});
  const seen: string[] = [];
  try {
    for await (const entry of extract) {
      const entryName = entry.header.name;
      if (entry.header.type === "file" && !isJunkPath(entryName)) seen.push(entryName);
      if (entry.header.type !== "file" || !entryName.toLowerCase().endsWith(".csv") || isJunkPath(entryName)) {
        entry.resume();
        continue;
      }
      // streamx streams are async iterable at runtime; their typings omit it.
      const line = await sniffFirstLine(entry as unknown as AsyncIterable<Buffer>);
      const layout = line === null ? null : identifyCsvHeader(headerFields(line));
      if (layout !== null) return { entry: entryName, layout };
      entry.resume();
    }
  } catch (error) {
    throw explainReadFailure(error, name, container, "while looking for its CSV");
  } finally {
    extract.destroy();
    file.destroy();
  }
  const listed = seen.length === 0 ? "nothing" : seen.slice(0, 8).join(", ");
  throw new DatasetError(`${name} holds no FER-2013 or FER+ CSV (it holds ${listed})`);
}
