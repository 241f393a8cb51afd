import { EMOTION_LABELS, EMOTIONS } from "@/lib/emotions";

export function labelName(label: number): string {
  return label >= 0 && label < EMOTIONS.length ? EMOTION_LABELS[EMOTIONS[label]] : "Not a face";
}

/** A model's probabilities over the seven classes, canonical order, as small bars. */
export function ProbabilityBars({ probs }: { probs: number[] }) {
  return (
    <dl className="grid grid-cols-7 gap-1 text-[11px]">
      {probs.map((p, i) => (
        <div key={i} title={`${labelName(i)} ${(p * 100).toFixed(1)}%`}>
          <dt className="text-neutral-500">{labelName(i).slice(0, 3)}</dt>
          <dd className="h-1.5 rounded bg-neutral-100 dark:bg-neutral-800">
            <div className="h-1.5 rounded bg-emerald-500" style={{ width: `${p * 100}%` }} />
          </dd>
          <dd className="tabular-nums">{(p * 100).toFixed(0)}%</dd>
        </div>
      ))}
    </dl>
  );
}
