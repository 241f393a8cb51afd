import { FERPLUS_COLUMNS } from "../emotions";
import { splitCsvLine } from "./split-csv-line";

/** Column positions found in a header, so files with reordered or space-padded columns still read. */
export type CsvLayout =
  | { content: "fer2013"; columns: number; emotion: number; pixels: number; usage: number }
  | { content: "ferplus"; columns: number; usage: number; imageName: number; votes: number[] };

export const FER2013_HEADER = "emotion,pixels,Usage";
export const FERPLUS_HEADER = `Usage,Image name,${FERPLUS_COLUMNS.join(",")}`;

/** Header field names as written, with a byte-order mark, quotes and padding removed. */
export function headerFields(line: Buffer | string): string[] {
  const bytes = typeof line === "string" ? Buffer.from(line) : line;
  const text = bytes.toString("utf8").replace(/^\uFEFF/, "");
  return splitCsvLine(Buffer.from(text)).map((field) => field.toString("utf8").trim());
}

/** Recognises FER-2013 (`emotion,pixels,Usage`) and FER+ (`Usage,Image name,neutral,...`) headers; null otherwise. */
export function identifyCsvHeader(fields: readonly string[]): CsvLayout | null {
  const lower = fields.map((field) => field.toLowerCase());
  const at = (name: string) => lower.indexOf(name.toLowerCase());
  const fer2013 = { emotion: at("emotion"), pixels: at("pixels"), usage: at("usage") };
  if (fields.length === 3 && fer2013.emotion >= 0 && fer2013.pixels >= 0 && fer2013.usage >= 0) {
    return { content: "fer2013", columns: 3, ...fer2013 };
  }
  const votes = FERPLUS_COLUMNS.map(at);
  const usage = at("usage");
  const imageName = at("image name");
  if (fields.length === votes.length + 2 && usage >= 0 && imageName >= 0 && votes.every((i) => i >= 0)) {
    return { content: "ferplus", columns: fields.length, usage, imageName, votes };
  }
  return null;
}

/** Why a first line is not a header we know, phrased for the person who picked the file. */
export function explainUnknownHeader(name: string, fields: readonly string[]): string {
  const shown = fields.join(",").slice(0, 80);
  const expected = `expected "${FER2013_HEADER}" (FER-2013) or "${FERPLUS_HEADER.slice(0, 40)}..." (FER+)`;
  if (/^\d+$/.test(fields[0] ?? "") && fields.some((field) => field.includes(" "))) {
    return `${name} has no header line (its first line is already data): ${expected}`;
  }
  const lower = fields.map((field) => field.toLowerCase());
  if (lower.includes("pixels") && !lower.includes("usage")) {
    return `${name} has pixels but no Usage column ("${shown}"), so its split is unknown: ${expected}`;
  }
  return `${name} starts with an unrecognised header "${shown}": ${expected}`;
}
