import { fromFer2013Label } from "../emotions";
import type { CsvLayout } from "./csv-header";
import { parsePixels } from "./parse-pixels";
import type { Fer2013Record, SkipRecord } from "./types";
import { splitFromUsage } from "./usage-split";

type Fer2013Layout = Extract<CsvLayout, { content: "fer2013" }>;

/** Turns one data row's fields into a record, or a skip that says what is wrong with it. */
export function parseFer2013Row(fields: Buffer[], layout: Fer2013Layout, row: number): Fer2013Record | SkipRecord {
  const where = `row ${row}`;
  if (fields.length !== layout.columns) {
    return { kind: "skip", where, code: "columns", reason: `expected ${layout.columns} columns, got ${fields.length}` };
  }
  const labelText = fields[layout.emotion].toString("latin1").trim();
  if (!/^\d+$/.test(labelText)) {
    return { kind: "skip", where, code: "label", reason: `emotion "${labelText.slice(0, 20)}" is not a whole number` };
  }
  const label = fromFer2013Label(Number(labelText));
  if (label === null) {
    return { kind: "skip", where, code: "label", reason: `emotion ${labelText} is out of range 0..6` };
  }
  const usage = fields[layout.usage].toString("utf8").trim();
  const split = splitFromUsage(usage);
  if (split === null) {
    const reason = `unknown Usage "${usage.slice(0, 30)}" (expected Training, PublicTest or PrivateTest)`;
    return { kind: "skip", where, code: "usage", reason };
  }
  const parsed = parsePixels(fields[layout.pixels]);
  if (!("pixels" in parsed)) return { kind: "skip", where, ...parsed };
  return { kind: "fer2013", row, label, split, pixels: parsed.pixels };
}
