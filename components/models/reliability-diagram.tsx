import type { ReliabilityBin } from "@/lib/training/classification-metrics";

/**
 * Accuracy against confidence per bin, with the diagonal of perfect calibration: bars under the line are
 * over-confident. Bar opacity shows how many faces a bin holds.
 */
export function ReliabilityDiagram({ bins, size = 220 }: { bins: ReliabilityBin[]; size?: number }) {
  const pad = 24;
  const inner = size - pad - 6;
  const most = Math.max(1, ...bins.map((b) => b.count));
  const x = (v: number) => pad + v * inner;
  const y = (v: number) => 6 + (1 - v) * inner;
  return (
    <svg width={size} height={size} role="img" aria-label="reliability diagram" data-testid="reliability-diagram" className="text-[9px]">
      <rect x={pad} y={6} width={inner} height={inner} className="fill-neutral-50 dark:fill-neutral-900" />
      {bins.map((bin) =>
        bin.count === 0 ? null : (
          <rect
            key={bin.lo}
            x={x(bin.lo) + 0.5}
            y={y(bin.accuracy)}
            width={Math.max(1, x(bin.hi) - x(bin.lo) - 1)}
            height={Math.max(0, y(0) - y(bin.accuracy))}
            className="fill-sky-500"
            opacity={0.3 + 0.7 * (bin.count / most)}
          >
            <title>{`confidence ${bin.lo.toFixed(2)}–${bin.hi.toFixed(2)}: ${bin.count} faces, ${(bin.accuracy * 100).toFixed(0)}% right, mean confidence ${(bin.confidence * 100).toFixed(0)}%`}</title>
          </rect>
        ),
      )}
      <line x1={x(0)} y1={y(0)} x2={x(1)} y2={y(1)} className="stroke-neutral-500" strokeDasharray="3 3" />
      <text x={pad} y={size - 4} className="fill-neutral-500">0</text>
      <text x={size - 6} y={size - 4} textAnchor="end" className="fill-neutral-500">confidence 1</text>
      <text x={pad - 3} y={12} textAnchor="end" className="fill-neutral-500">1</text>
      <text x={2} y={size / 2} className="fill-neutral-500">acc.</text>
    </svg>
  );
}
