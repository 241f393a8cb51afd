import { EMOTION_LABELS, EMOTIONS } from "@/lib/emotions";
import type { QueueItem } from "./label-api";

/** What is already known about the face: its source label, FER+ crowd votes, other annotators' labels. */
export function CurrentLabels({ labels }: { labels: NonNullable<QueueItem["labels"]> }) {
  const peopleTotal = labels.people.reduce((a, b) => a + b, 0) + labels.notFace;
  return (
    <section
      aria-label="Current labels"
      className="space-y-3 rounded-lg border border-neutral-200 bg-white p-4 text-sm dark:border-neutral-800 dark:bg-neutral-950"
    >
      <h2 className="font-medium">Current labels</h2>
      <div>
        <span className="text-neutral-500" title="The label the dataset came with (FER-2013's own, for FER-2013 faces)">
          Original label:{" "}
        </span>
        {labels.original.length > 0 ? labels.original.map(name).join(", ") : "none"}
      </div>
      {labels.ferPlus ? (
        <div>
          <div className="mb-1 text-neutral-500">FER+ votes</div>
          <VoteBars counts={labels.ferPlus} label="FER+ votes" />
        </div>
      ) : null}
      <div>
        <span className="text-neutral-500">Other annotators: </span>
        {peopleTotal === 0
          ? "none yet"
          : [
              ...labels.people.flatMap((n, i) => (n > 0 ? [`${name(i)} ${n}`] : [])),
              ...(labels.notFace > 0 ? [`not a face ${labels.notFace}`] : []),
            ].join(", ")}
      </div>
    </section>
  );
}

function name(label: number): string {
  return label >= 0 && label < EMOTIONS.length ? EMOTION_LABELS[EMOTIONS[label]] : "Not a face";
}

/** A small bar chart of votes per canonical class. */
export function VoteBars({ counts, label }: { counts: number[]; label: string }) {
  const max = Math.max(1, ...counts);
  return (
    <div
      role="img"
      aria-label={`${label}: ${counts.map((n, i) => `${name(i)} ${n}`).join(", ")}`}
      className="flex items-end gap-1"
    >
      {counts.map((n, i) => (
        <div key={i} className="flex w-9 flex-col items-center gap-0.5" title={`${name(i)}: ${n}`}>
          <span className="text-[10px] tabular-nums text-neutral-500">{n}</span>
          <div className="flex h-10 w-4 items-end rounded-sm bg-neutral-100 dark:bg-neutral-800">
            <div className="w-4 rounded-sm bg-sky-500" style={{ height: `${(n / max) * 100}%` }} />
          </div>
          <span className="text-[10px] text-neutral-500">{name(i).slice(0, 3)}</span>
        </div>
      ))}
    </div>
  );
}
