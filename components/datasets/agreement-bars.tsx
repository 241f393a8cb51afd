import { EMOTION_LABELS, EMOTIONS } from "@/lib/emotions";

/** Mean confidence of each class's labels (share of votes, or the consensus method's posterior), as bars. */
export function AgreementBars({ mean, images }: { mean: Array<number | null>; images: number[] }) {
  return (
    <figure className="rounded-lg border border-neutral-200 bg-white p-4 dark:border-neutral-800 dark:bg-neutral-950">
      <figcaption className="mb-3 text-sm font-medium">Agreement per class</figcaption>
      <dl className="space-y-1.5 text-xs">
        {EMOTIONS.map((emotion, i) => (
          <div key={emotion} className="grid grid-cols-[5rem_1fr_4rem] items-center gap-2" title={`${images[i]} images with votes`}>
            <dt className="text-neutral-600 dark:text-neutral-400">{EMOTION_LABELS[emotion]}</dt>
            <dd className="h-3 rounded bg-neutral-100 dark:bg-neutral-800">
              {mean[i] === null ? null : <div className="h-3 rounded bg-emerald-500" style={{ width: `${mean[i]! * 100}%` }} />}
            </dd>
            <dd className="text-right tabular-nums">{mean[i] === null ? "–" : `${Math.round(mean[i]! * 100)} %`}</dd>
          </div>
        ))}
      </dl>
    </figure>
  );
}
