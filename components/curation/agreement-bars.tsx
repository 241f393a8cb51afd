import { EMOTION_LABELS, EMOTIONS } from "@/lib/emotions";

/** One bar per class for a value in -1..1 (kappa): where people agree and where they do not. */
export function AgreementBars({ title, values }: { title: string; values: number[] }) {
  return (
    <figure>
      <figcaption className="mb-1 text-xs text-neutral-500">{title}</figcaption>
      <ul className="space-y-0.5 text-xs">
        {EMOTIONS.map((e, i) => {
          const v = values[i];
          const width = Number.isFinite(v) ? Math.max(0, v) * 160 : 0;
          return (
            <li key={e} className="flex items-center gap-2">
              <span className="w-16 text-neutral-500">{EMOTION_LABELS[e]}</span>
              <span className="inline-block h-2 bg-emerald-500" style={{ width: `${width.toFixed(0)}px` }} />
              <span className="tabular-nums">{Number.isFinite(v) ? v.toFixed(2) : "–"}</span>
            </li>
          );
        })}
      </ul>
    </figure>
  );
}
