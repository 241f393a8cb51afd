import { FERPLUS_COLUMNS, NOT_A_FACE, NUM_EMOTIONS, toFerPlusColumnIndex } from "../emotions";
import { USAGE_NAMES } from "../datasets/usage-split";
import type { Split } from "../datasets/types";
import type { SnapshotItem } from "./snapshot-items";

export const FERPLUS_HEADER = `Usage,Image name,${FERPLUS_COLUMNS.join(",")}\n`;
const USAGE: Record<Split, string> = { train: USAGE_NAMES[0], val: USAGE_NAMES[1], test: USAGE_NAMES[2] };

/**
 * The columns of FER+'s fer2013new.csv, row i describing fer2013.csv's row i (as FER+ does for FER-2013): the FER+
 * crowd votes plus every person's label counted in its FER+ column (not-a-face in NF). `Image name` follows FER+'s
 * `fer<row>.png` and is empty, as in FER+, for an image whose snapshot label says it is not a face.
 */
export async function* ferPlusVotesCsv(batches: AsyncIterable<SnapshotItem[]>): AsyncGenerator<Buffer> {
  yield Buffer.from(FERPLUS_HEADER, "latin1");
  for await (const items of batches) {
    const lines = items.map((item) => {
      const votes = item.crowdVotes ? [...item.crowdVotes] : new Array<number>(FERPLUS_COLUMNS.length).fill(0);
      item.peopleVotes.forEach((n, i) => {
        votes[toFerPlusColumnIndex(i === NUM_EMOTIONS ? NOT_A_FACE : i)] += n;
      });
      const name = item.notFace ? "" : `fer${String(item.position).padStart(7, "0")}.png`;
      return `${USAGE[item.split]},${name},${votes.join(",")}\n`;
    });
    yield Buffer.from(lines.join(""), "latin1");
  }
}
