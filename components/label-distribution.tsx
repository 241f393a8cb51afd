import { EMOTION_LABELS, EMOTIONS } from "@/lib/emotions";

/** Images per class as horizontal bars: the class imbalance (disgust!) is easier seen than read. */
export function LabelDistribution({ counts, title }: { counts: number[]; title: string }) {
  const max = Math.max(1, ...counts);
  const total = counts.reduce((a, b) => a + b, 0);
  return (
    <figure className="rounded-lg border border-neutral-200 bg-white p-4 dark:border-neutral-800 dark:bg-neutral-950">
      <figcaption className="mb-3 text-sm font-medium">
        {title} <span className="font-normal text-neutral-500">({total.toLocaleString("en")} labelled)</span>
      </figcaption>
      <dl className="space-y-1.5 text-xs">
        {EMOTIONS.map((emotion, i) => (
          <div key={emotion} className="grid grid-cols-[5rem_1fr_4rem] items-center gap-2">
            <dt className="text-neutral-600 dark:text-neutral-400">{EMOTION_LABELS[emotion]}</dt>
            <dd className="h-3 rounded bg-neutral-100 dark:bg-neutral-800">
              <div className="h-3 rounded bg-sky-500" style={{ width: `${(counts[i] / max) * 100}%` }} />
            </dd>
            <dd className="text-right tabular-nums">{counts[i].toLocaleString("en")}</dd>
          </div>
        ))}
      </dl>
    </figure>
  );
}
