import { requirePageRole } from "@/app/_lib/auth";
import { PageHeader } from "@/components/page-header";
import { TrainingCurve } from "@/components/training-curve";
import { listRuns, type RunListItem } from "@/lib/runs/list-runs";
import { getServices } from "@/lib/runtime/app-services";

export const dynamic = "force-dynamic";

export default async function RunsPage() {
  await requirePageRole("researcher", "/runs");
  const { db } = await getServices();
  const runs = await listRuns(db);
  return (
    <>
      <PageHeader title="Training runs">Runs queued for the trainer service, and their progress.</PageHeader>
      {runs.length === 0 ? (
        <p className="text-sm text-neutral-500">No training runs yet.</p>
      ) : (
        <table className="w-full text-left text-sm [&_td]:px-2 [&_th]:px-2">
          <thead className="text-xs text-neutral-500">
            <tr>
              <th className="py-1">Run</th>
              <th>Model</th>
              <th>Status</th>
              <th>Progress</th>
              <th>Accuracy per epoch</th>
              <th>Trigger</th>
              <th>Queued</th>
              <th>Finished</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <tr key={run.id} className="border-t border-neutral-200 dark:border-neutral-800">
                <td className="py-1">#{run.id}</td>
                <td>{run.modelName}</td>
                <td title={run.error ?? undefined}>{run.status}</td>
                <td className="text-xs">{describeProgress(run)}</td>
                <td className="py-1">
                  <TrainingCurve points={run.curves} />
                </td>
                <td>{run.trigger}</td>
                <td>{run.createdAt.toISOString().slice(0, 16).replace("T", " ")}</td>
                <td>{run.finishedAt?.toISOString().slice(0, 16).replace("T", " ") ?? "–"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function describeProgress(run: RunListItem): string {
  const p = run.progress;
  if (!p || run.status !== "running") return run.status === "failed" ? (run.error ?? "") : "";
  if (p.phase === "training" && p.epoch !== undefined) {
    const batch = p.batch !== undefined && p.batches ? `, batch ${p.batch}/${p.batches}` : "";
    const left = p.secondsLeft !== undefined ? `, ${Math.ceil(p.secondsLeft / 60)} min left` : "";
    return `training epoch ${p.epoch}${p.epochs !== undefined ? `/${p.epochs}` : ""}${batch}${left}`;
  }
  if (p.phase === "scoring" && p.batches) return `scoring ${p.batch}/${p.batches} images`;
  return p.message ?? p.phase;
}
