/** Several series over epochs as one SVG chart with a y axis: curves are seen faster than read. */
export interface ChartSeries {
  name: string;
  /** [x, y] points; y null leaves a gap-free line through the points that have one. */
  points: [number, number | null][];
  className: string;
}

export function LineChart({
  title,
  series,
  width = 320,
  height = 140,
  yMin,
  yMax,
  format = (v) => v.toFixed(2),
}: {
  title: string;
  series: ChartSeries[];
  width?: number;
  height?: number;
  yMin?: number;
  yMax?: number;
  format?: (value: number) => string;
}) {
  const all = series.flatMap((s) => s.points.filter((p): p is [number, number] => p[1] !== null && Number.isFinite(p[1])));
  if (all.length === 0) return <p className="text-xs text-neutral-400">{title}: no epoch yet</p>;
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const x0 = Math.min(...xs);
  const x1 = Math.max(x0 + 1, ...xs);
  const lo = yMin ?? Math.min(...ys);
  const hi = Math.max(lo + 1e-6, yMax ?? Math.max(...ys));
  const left = 36;
  const pad = 6;
  const x = (v: number) => left + ((v - x0) / (x1 - x0)) * (width - left - pad);
  const y = (v: number) => height - 16 - ((v - lo) / (hi - lo)) * (height - 16 - pad);
  const ticks = [lo, (lo + hi) / 2, hi];
  return (
    <figure className="text-xs">
      <figcaption className="mb-1 text-neutral-600 dark:text-neutral-400">
        {title}{" "}
        {series.map((s) => (
          <span key={s.name} className={`ml-2 ${s.className.replace("stroke-", "text-")}`}>
            — {s.name}
          </span>
        ))}
      </figcaption>
      <svg width={width} height={height} role="img" aria-label={title} className="rounded bg-neutral-50 dark:bg-neutral-900">
        {ticks.map((t) => (
          <g key={t}>
            <line x1={left} x2={width - pad} y1={y(t)} y2={y(t)} className="stroke-neutral-200 dark:stroke-neutral-800" strokeWidth={0.5} />
            <text x={left - 3} y={y(t) + 3} textAnchor="end" className="fill-neutral-500 text-[9px]">
              {format(t)}
            </text>
          </g>
        ))}
        <text x={width - pad} y={height - 3} textAnchor="end" className="fill-neutral-500 text-[9px]">
          epoch {x1}
        </text>
        {series.map((s) => {
          const points = s.points.filter((p): p is [number, number] => p[1] !== null && Number.isFinite(p[1]));
          return (
            <polyline
              key={s.name}
              data-series={s.name}
              points={points.map(([a, b]) => `${x(a).toFixed(1)},${y(b).toFixed(1)}`).join(" ")}
              fill="none"
              className={s.className}
              strokeWidth={1.5}
            />
          );
        })}
      </svg>
    </figure>
  );
}
