import Link from "next/link";
import type { AnnotatorProgress } from "@/lib/labelling/annotator-progress";

/** The signed-in person's own labelling numbers: today, in all, pace, agreement, and what each queue has left. */
export function AnnotatorDashboard({ progress }: { progress: AnnotatorProgress }) {
  const { agreement } = progress;
  const tiles = [
    { id: "labels-today", title: "Labels today", value: fmt(progress.labelsToday), note: "since 00:00 UTC" },
    {
      id: "labels-total",
      title: "Labels in all",
      value: fmt(progress.labelsTotal),
      note: "yours, undone ones not counted",
    },
    {
      id: "median-seconds",
      title: "Median time per label",
      value: progress.medianSecondsPerDecision === null ? "–" : `${progress.medianSecondsPerDecision.toFixed(1)} s`,
      note: "from face shown to label",
    },
    {
      id: "agreement",
      title: "Agreement with consensus",
      value: agreement ? `${Math.round((100 * agreement.agreed) / agreement.compared)} %` : "–",
      note: agreement
        ? `${fmt(agreement.agreed)} of ${fmt(agreement.compared)} labels equal the majority, on faces with FER+ votes or other people's labels`
        : "no face you labelled has FER+ votes or other people's labels yet",
    },
  ];
  return (
    <section aria-label="Your labelling" className="mb-6 space-y-3" data-testid="annotator-dashboard">
      <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        {tiles.map((tile) => (
          <div
            key={tile.id}
            className="rounded-lg border border-neutral-200 bg-white p-3 dark:border-neutral-800 dark:bg-neutral-950"
          >
            <dt className="text-xs text-neutral-500">{tile.title}</dt>
            <dd className="text-2xl font-semibold tabular-nums" data-testid={tile.id}>
              {tile.value}
            </dd>
            <dd className="text-xs text-neutral-500">{tile.note}</dd>
          </div>
        ))}
      </dl>
      <div className="rounded-lg border border-neutral-200 bg-white p-3 text-sm dark:border-neutral-800 dark:bg-neutral-950">
        <h2 className="mb-2 text-xs text-neutral-500">Faces left for you, per queue</h2>
        <ul className="flex flex-wrap gap-2">
          {progress.queueLeft.map(({ strategy, left }) => (
            <li key={strategy}>
              <Link
                href={`/label?strategy=${strategy}`}
                data-testid={`queue-left-${strategy}`}
                data-left={left}
                className="inline-flex min-h-11 items-center gap-2 rounded border border-neutral-200 px-3 hover:border-neutral-400 dark:border-neutral-700"
              >
                <span>{strategy}</span>
                <span className="font-medium tabular-nums">{fmt(left)}</span>
              </Link>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}

function fmt(n: number): string {
  return n.toLocaleString("en");
}
