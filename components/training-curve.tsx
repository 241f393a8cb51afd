import type { CurvePoint } from "@/lib/runs/list-runs";

/** Accuracy per epoch for train and val as a small line chart: a run's shape is seen faster than read. */
const WIDTH = 220;
const HEIGHT = 64;

export function TrainingCurve({ points }: { points: CurvePoint[] }) {
  if (points.length === 0) return <span className="text-xs text-neutral-400">no epoch yet</span>;
  const maxEpoch = Math.max(2, ...points.map((p) => p.epoch));
  const x = (epoch: number) => ((epoch - 1) / (maxEpoch - 1)) * (WIDTH - 8) + 4;
  const y = (accuracy: number) => HEIGHT - 4 - accuracy * (HEIGHT - 8);
  const line = (values: [number, number][]) =>
    values.map(([e, a]) => `${x(e).toFixed(1)},${y(a).toFixed(1)}`).join(" ");
  const train = line(points.map((p) => [p.epoch, p.trainAccuracy]));
  const val = line(points.filter((p) => p.valAccuracy !== null).map((p) => [p.epoch, p.valAccuracy!]));
  const last = points[points.length - 1];
  return (
    <figure className="flex items-center gap-2">
      <svg
        width={WIDTH}
        height={HEIGHT}
        role="img"
        aria-label="accuracy per epoch"
        className="rounded bg-neutral-100 dark:bg-neutral-800"
      >
        {[0.25, 0.5, 0.75].map((a) => (
          <line
            key={a}
            x1={0}
            x2={WIDTH}
            y1={y(a)}
            y2={y(a)}
            className="stroke-neutral-300 dark:stroke-neutral-700"
            strokeWidth={0.5}
          />
        ))}
        <polyline points={train} fill="none" className="stroke-neutral-400" strokeWidth={1.5} />
        <polyline points={val} fill="none" className="stroke-sky-500" strokeWidth={2} />
      </svg>
      <figcaption className="text-xs tabular-nums text-neutral-600 dark:text-neutral-400">
        <span className="text-sky-600">
          val {last.valAccuracy === null ? "–" : `${(last.valAccuracy * 100).toFixed(1)}%`}
        </span>
        <br />
        train {(last.trainAccuracy * 100).toFixed(1)}%
      </figcaption>
    </figure>
  );
}
