import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { queryRows } from "../db/query-rows";
import type { RunConfig } from "./run-config";
import { enqueueRun } from "./run-queue";

export interface RetrainPolicy {
  /** Queue a retrain once this many new labels (people's and imported) arrived since the schedule's last run. */
  afterLabels: number;
  /** ... or once the schedule's last run (or, before it ever ran, the serving model) is this old (0: never by age). */
  afterHours: number;
  /** After a failed scheduled run, wait this long before the next (doubling per failure in a row, at most a day). */
  backoffMinutes: number;
  modelName: string;
  config: Partial<RunConfig>;
}

export type RetrainDecision = { queued: false; reason: string } | { queued: true; runId: number; reason: string };

const MAX_BACKOFF_MINUTES = 24 * 60;

/**
 * The schedule. It measures from its own last run, whatever came of it (failed, not promoted, cancelled): labels
 * are counted since that run was queued, and age since then too, so a run that fails or does not serve never causes
 * another one on the same data. After failures it also waits (backoff, doubling per failure in a row). Nothing is
 * queued while another run is queued or running.
 */
export async function queueRetrainIfDue(db: Database, policy: RetrainPolicy): Promise<RetrainDecision> {
  const [state] = await queryRows<{
    busy: boolean;
    any_run: boolean;
    last_at: Date | null;
    last_status: string | null;
    last_finished: Date | null;
    failures: number;
    serving_since: Date | null;
    serving_demo: boolean | null;
    new_labels: number;
  }>(
    db,
    sql`
    with last as (
      select id, status, created_at, finished_at from training_runs
      where trigger = 'schedule' order by created_at desc, id desc limit 1
    ),
    recent as (
      select status, row_number() over (order by created_at desc, id desc) as n from training_runs
      where trigger = 'schedule' and status in ('succeeded', 'failed')
    ),
    serving as (
      select coalesce(r.created_at, v.created_at) as since, v.demo
      from model_versions v left join training_runs r on r.id = v.run_id where v.serving
    )
    select
      exists (select 1 from training_runs where status in ('queued', 'running')) as busy,
      exists (select 1 from training_runs) as any_run,
      (select created_at from last) as last_at,
      (select status::text from last) as last_status,
      (select finished_at from last) as last_finished,
      coalesce((select min(n) - 1 from recent where status <> 'failed'), (select count(*) from recent))::int as failures,
      (select since from serving) as serving_since,
      (select demo from serving) as serving_demo,
      (select count(*)::int from annotations a
        where a.created_at > coalesce((select created_at from last), (select since from serving), '-infinity')) as new_labels`,
  );
  if (state.busy) return { queued: false, reason: "a run is already queued or running" };

  if (state.last_status === "failed" && state.failures > 0 && state.last_finished) {
    const wait = Math.min(MAX_BACKOFF_MINUTES, policy.backoffMinutes * 2 ** (state.failures - 1));
    const until = new Date(new Date(state.last_finished).getTime() + wait * 60_000);
    if (until.getTime() > Date.now()) {
      return {
        queued: false,
        reason: `backing off after ${state.failures} failed scheduled run(s) until ${until.toISOString()}`,
      };
    }
  }

  const since = state.last_at ?? state.serving_since;
  const ageHours = since ? (Date.now() - new Date(since).getTime()) / 3_600_000 : null;
  let reason: string | null = null;
  if (state.last_at === null && (state.serving_since === null || state.serving_demo) && !state.any_run) {
    reason = "no model trained on this data is serving yet";
  } else if (state.new_labels >= policy.afterLabels) {
    reason = `${state.new_labels} new labels since ${state.last_at ? "the schedule's last run" : "the serving model"}`;
  } else if (policy.afterHours > 0 && ageHours !== null && ageHours >= policy.afterHours) {
    reason = `${Math.floor(ageHours)} hours since ${state.last_at ? "the schedule's last run" : "the serving model"}`;
  }
  if (!reason) {
    return {
      queued: false,
      reason: `${state.new_labels} new labels since ${state.last_at ? `the schedule's last run (${state.last_status})` : "the serving model"}, not yet ${policy.afterLabels}`,
    };
  }
  const runId = await enqueueRun(db, { modelName: policy.modelName, config: policy.config, trigger: "schedule" });
  return { queued: true, runId, reason };
}
