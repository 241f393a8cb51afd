import { basename } from "node:path";
import { explainUnknownHeader, headerFields, identifyCsvHeader } from "./csv-header";
import { csvChunks } from "./csv-chunks";
import { DatasetError } from "./dataset-error";
import { explainReadFailure } from "./explain-read-failure";
import { parseFer2013Row } from "./fer2013-row";
import { parseFerPlusRow } from "./ferplus-row";
import { readLines } from "./read-lines";
import { splitCsvLine } from "./split-csv-line";
import type { DatasetFormat, DatasetRecord, Progress } from "./types";

type CsvFormat = Extract<DatasetFormat, { content: "fer2013" | "ferplus" }>;

/**
 * Streams a FER-2013 or FER+ CSV as records. Bad rows become skip records; a broken container (truncated gzip,
 * corrupt zip) or a wrong header throws a DatasetError after every complete row before it has been yielded.
 * Blank lines are ignored and do not count as rows, so row numbers stay aligned between FER-2013 and FER+.
 */
export async function* readCsvRecords(format: CsvFormat, progress: Progress): AsyncGenerator<DatasetRecord> {
  const name = format.entry ? `${basename(format.path)} (${format.entry})` : basename(format.path);
  let row = -1; // -1 until the header has been read
  try {
    let layout = null;
    for await (const line of readLines(csvChunks(format, progress), name)) {
      if (line.length === 0) continue;
      if (layout === null) {
        const fields = headerFields(line);
        layout = identifyCsvHeader(fields);
        if (layout === null) throw new DatasetError(explainUnknownHeader(name, fields));
        if (layout.content !== format.content) {
          throw new DatasetError(`${name} changed since it was detected: it now holds ${layout.content} data`);
        }
        row = 0;
        continue;
      }
      const fields = splitCsvLine(line);
      yield layout.content === "fer2013" ? parseFer2013Row(fields, layout, row) : parseFerPlusRow(fields, layout, row);
      row++;
    }
    if (layout === null) throw new DatasetError(`${name} is empty: it has no header line`);
  } catch (error) {
    throw explainReadFailure(error, name, format.container, readSoFar(row));
  }
  progress.bytesRead = progress.totalBytes;
}

function readSoFar(rows: number): string {
  if (rows < 0) return "before its header line";
  if (rows === 0) return "after the header, before the first data row";
  return `after ${rows} data rows (last complete row: row ${rows - 1})`;
}
