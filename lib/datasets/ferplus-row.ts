import { FERPLUS_COLUMNS } from "../emotions";
import type { CsvLayout } from "./csv-header";
import type { FerPlusRecord, SkipRecord } from "./types";
import { splitFromUsage } from "./usage-split";

/** FER+ had 10 taggers per image; far more votes for one class means the row is damaged (and would overflow). */
export const MAX_VOTES_PER_CLASS = 1000;

type FerPlusLayout = Extract<CsvLayout, { content: "ferplus" }>;

/** Turns one fer2013new.csv data row into its vote record, or a skip saying what is wrong with it. */
export function parseFerPlusRow(fields: Buffer[], layout: FerPlusLayout, row: number): FerPlusRecord | SkipRecord {
  const where = `row ${row}`;
  if (fields.length !== layout.columns) {
    return { kind: "skip", where, code: "columns", reason: `expected ${layout.columns} columns, got ${fields.length}` };
  }
  const usage = fields[layout.usage].toString("utf8").trim();
  const split = splitFromUsage(usage);
  if (split === null) {
    const reason = `unknown Usage "${usage.slice(0, 30)}" (expected Training, PublicTest or PrivateTest)`;
    return { kind: "skip", where, code: "usage", reason };
  }
  const votes: number[] = [];
  for (let i = 0; i < layout.votes.length; i++) {
    const text = fields[layout.votes[i]].toString("utf8").trim();
    if (!/^\d+$/.test(text)) {
      const reason = `vote count for ${FERPLUS_COLUMNS[i]} is "${text.slice(0, 20)}", not a whole number`;
      return { kind: "skip", where, code: "votes", reason };
    }
    if (Number(text) > MAX_VOTES_PER_CLASS) {
      const reason = `vote count for ${FERPLUS_COLUMNS[i]} is ${text.slice(0, 20)}, more than ${MAX_VOTES_PER_CLASS}`;
      return { kind: "skip", where, code: "votes", reason };
    }
    votes.push(Number(text));
  }
  const imageName = fields[layout.imageName].toString("utf8").trim() || null;
  return { kind: "ferplus", row, split, imageName, votes };
}
