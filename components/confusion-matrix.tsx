import { EMOTION_LABELS, EMOTIONS } from "@/lib/emotions";

/** Rows are true classes, columns predictions, shaded by the share of each row: where a model confuses what. */
export function ConfusionMatrix({ matrix }: { matrix: number[][] }) {
  return (
    <table
      className="border-collapse text-[10px] tabular-nums"
      aria-label="confusion matrix (rows true, columns predicted)"
    >
      <thead>
        <tr>
          <th className="p-1 text-left font-normal text-neutral-500">true \ predicted</th>
          {EMOTIONS.map((e) => (
            <th key={e} className="p-1 font-normal text-neutral-500">
              {EMOTION_LABELS[e].slice(0, 3)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {matrix.map((row, i) => {
          const total = Math.max(
            1,
            row.reduce((a, b) => a + b, 0),
          );
          return (
            <tr key={EMOTIONS[i]}>
              <th className="p-1 text-left font-normal text-neutral-500">{EMOTION_LABELS[EMOTIONS[i]]}</th>
              {row.map((n, j) => (
                <td
                  key={j}
                  className={`h-6 w-8 text-center ${i === j ? "font-semibold" : ""}`}
                  style={{ backgroundColor: `rgba(14, 165, 233, ${(n / total).toFixed(3)})` }}
                  title={`${n} of ${total}`}
                >
                  {n}
                </td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
