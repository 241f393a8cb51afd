import { requirePageRole } from "@/app/_lib/auth";
import { PageHeader } from "@/components/page-header";
import { RetrainScheduleForm } from "@/components/runs/retrain-schedule-form";
import { RunBoard } from "@/components/runs/run-board";
import { toRunJson } from "@/components/runs/run-json";
import { StartRunForm } from "@/components/runs/start-run-form";
import { loadEnv } from "@/lib/config/env";
import { LABEL_POLICIES } from "@/lib/curation/label-policy";
import { MODEL_ZOO } from "@/lib/models";
import { listRuns } from "@/lib/runs/list-runs";
import { defaultRetrainSettings, getRetrainSettings } from "@/lib/runs/retrain-settings";
import { getServices } from "@/lib/runtime/app-services";
import { listSnapshots } from "@/lib/snapshots/list-snapshots";

export const dynamic = "force-dynamic";

export default async function RunsPage() {
  const user = await requirePageRole("researcher", "/runs");
  const { db } = await getServices();
  const [runs, schedule, snapshots] = await Promise.all([
    listRuns(db),
    getRetrainSettings(db, defaultRetrainSettings(loadEnv())),
    listSnapshots(db),
  ]);
  // Only snapshots with a train split can be trained on (the server checks again).
  const trainable = snapshots
    .filter((s) => s.filter.splits.includes("train"))
    .map((s) => ({ id: s.id, label: `snapshot v${s.version}: ${s.name} (${s.filter.labelMethod} labels, ${s.imageCount} faces)` }));
  const models = MODEL_ZOO.map((m) => ({ name: m.name, description: m.description }));
  const { saved, updatedAt, updatedBy: _by, ...settings } = schedule;
  return (
    <>
      <PageHeader title="Training runs">
        Start a run for the trainer service (npm run trainer) and watch it; the trainer claims runs in the order queued.
      </PageHeader>
      <section className="mb-6">
        <h2 className="mb-2 text-sm font-semibold">Start a run</h2>
        <StartRunForm models={models} labelPolicies={LABEL_POLICIES} snapshots={trainable} />
      </section>
      <RunBoard initialRuns={runs.map(toRunJson)} />
      <section className="mt-8">
        <h2 className="mb-2 text-sm font-semibold">Retrain schedule</h2>
        <RetrainScheduleForm
          settings={settings}
          editable={user.role === "admin"}
          models={models.map((m) => m.name)}
          labelPolicies={LABEL_POLICIES}
          note={
            (saved ? `Last changed ${updatedAt?.toISOString().slice(0, 16).replace("T", " ")} UTC.` : "The environment's defaults (RETRAIN_AFTER_LABELS, RETRAIN_AFTER_HOURS).") +
            (user.role === "admin" ? " Changes are written to the audit log." : " Only admins change it.")
          }
        />
      </section>
    </>
  );
}
