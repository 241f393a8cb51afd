import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { queryRows } from "../db/query-rows";
import type { RunConfig } from "./run-config";
import { enqueueRun } from "./run-queue";

export interface RetrainPolicy {
  /** Queue a retrain once this many people's labels arrived since the serving model's run was queued. */
  afterLabels: number;
  /** ... or once the serving model is this old (0: never by age). */
  afterHours: number;
  modelName: string;
  config: Partial<RunConfig>;
}

export type RetrainDecision = { queued: false; reason: string } | { queued: true; runId: number; reason: string };

/**
 * The schedule: a retrain is queued when enough new labels arrived since the serving model was trained, or when it
 * is old, and never while another run is queued or running.
 */
export async function queueRetrainIfDue(db: Database, policy: RetrainPolicy): Promise<RetrainDecision> {
  const [state] = await queryRows<{ busy: boolean; any_run: boolean; since: Date | null; new_labels: number; age_hours: number | null }>(
    db,
    sql`
    with serving as (
      select coalesce(r.created_at, v.created_at) as since
      from model_versions v left join training_runs r on r.id = v.run_id
      where v.serving
    )
    select
      exists (select 1 from training_runs where status in ('queued', 'running')) as busy,
      exists (select 1 from training_runs) as any_run,
      (select since from serving) as since,
      (select count(*)::int from annotations a
        where a.annotator_id is not null and a.created_at > coalesce((select since from serving), '-infinity')) as new_labels,
      (select extract(epoch from now() - since) / 3600 from serving)::float8 as age_hours`,
  );
  if (state.busy) return { queued: false, reason: "a run is already queued or running" };
  let reason: string | null = null;
  if (state.since === null && !state.any_run) reason = "no model is serving yet";
  else if (state.new_labels >= policy.afterLabels) reason = `${state.new_labels} new labels since the serving model`;
  else if (policy.afterHours > 0 && state.age_hours !== null && state.age_hours >= policy.afterHours) {
    reason = `the serving model is ${Math.floor(state.age_hours)} hours old`;
  }
  if (!reason) return { queued: false, reason: `${state.new_labels} new labels, not yet ${policy.afterLabels}` };
  const runId = await enqueueRun(db, { modelName: policy.modelName, config: policy.config, trigger: "schedule" });
  return { queued: true, runId, reason };
}
