import { LineChart } from "@/components/line-chart";
import type { CurvePoint } from "@/lib/runs/list-runs";

/** A run's loss and accuracy per epoch, train and val. */
export function RunCurves({ points }: { points: CurvePoint[] }) {
  return (
    <div className="flex flex-wrap gap-4" data-testid="run-curves">
      <LineChart
        title="loss"
        series={[
          { name: "train", points: points.map((p) => [p.epoch, p.trainLoss ?? null]), className: "stroke-neutral-500" },
          { name: "val", points: points.map((p) => [p.epoch, p.valLoss ?? null]), className: "stroke-sky-500" },
        ]}
      />
      <LineChart
        title="accuracy"
        yMin={0}
        yMax={1}
        format={(v) => `${Math.round(v * 100)}%`}
        series={[
          { name: "train", points: points.map((p) => [p.epoch, p.trainAccuracy]), className: "stroke-neutral-500" },
          { name: "val", points: points.map((p) => [p.epoch, p.valAccuracy]), className: "stroke-sky-500" },
        ]}
      />
    </div>
  );
}
