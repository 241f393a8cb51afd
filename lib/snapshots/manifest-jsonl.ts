import { EMOTIONS, FERPLUS_COLUMNS, NUM_EMOTIONS } from "../emotions";
import type { LabelMethod } from "./snapshot-filter";
import type { SnapshotItem } from "./snapshot-items";
import { folderEntryName } from "./folder-zip";

/**
 * One JSON object per line and image, in the snapshot's row order: `row` is its line in fer2013.csv and
 * fer2013new.csv, `file` its path in the folder zips, `sha256` the hash of its 2304 raw pixel bytes (the same
 * identity faceloop uses), votes by class name, and where the image came from.
 */
export async function* manifestJsonl(
  batches: AsyncIterable<SnapshotItem[]>,
  method: LabelMethod,
): AsyncGenerator<Buffer> {
  for await (const items of batches) {
    const lines = items.map((item) =>
      JSON.stringify({
        row: item.position,
        id: item.imageId,
        sha256: item.contentHash,
        split: item.split,
        label: item.label,
        emotion: EMOTIONS[item.label],
        method,
        confidence: item.confidence === null ? null : Math.round(item.confidence * 10_000) / 10_000,
        ...(item.target ? { target: item.target.map((p) => Math.round(p * 10_000) / 10_000) } : {}),
        originalLabel: item.originalLabel,
        notFace: item.notFace,
        votes: {
          ferplus: item.crowdVotes ? Object.fromEntries(FERPLUS_COLUMNS.map((c, i) => [c, item.crowdVotes![i]])) : null,
          people: Object.fromEntries([
            ...EMOTIONS.map((e, i) => [e, item.peopleVotes[i]] as const),
            ["notFace", item.peopleVotes[NUM_EMOTIONS]] as const,
          ]),
        },
        sources: item.sources.map((s) => {
          const colon = s.indexOf(":");
          return { source: s.slice(0, colon), ref: s.slice(colon + 1) };
        }),
        file: folderEntryName(item, "jpeg"),
      }),
    );
    yield Buffer.from(`${lines.join("\n")}\n`, "utf8");
  }
}
