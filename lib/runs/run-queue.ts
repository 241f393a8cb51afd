import { and, eq, sql } from "drizzle-orm";
import { trainingRuns } from "../../db/schema";
import type { Database } from "../db/client";
import { queryRows } from "../db/query-rows";

/**
 * The durable queue of training runs, in Postgres. Workers claim with FOR UPDATE SKIP LOCKED (two workers never get
 * the same run), prove they are alive with heartbeats, and a run whose worker stopped heartbeating is handed to the
 * next worker (which resumes it from its last checkpoint), up to `maxAttempts`.
 */
export interface QueuedRun {
  id: number;
  modelName: string;
  config: unknown;
  attempts: number;
  lastCheckpointKey: string | null;
}

export interface RunProgress {
  phase: "loading" | "training" | "evaluating" | "exporting" | "scoring" | "done";
  epoch?: number;
  /** Unknown in advance for a run bounded by time, which reports the time it has left instead. */
  epochs?: number;
  secondsLeft?: number;
  batch?: number;
  batches?: number;
  /** Training throughput over the last batches. */
  imagesPerSecond?: number;
  /** Estimated seconds to the end of training (epochs left at the current pace, or the time budget left). */
  etaSeconds?: number;
  /** The tfjs backend the worker trains on. */
  backend?: string;
  message?: string;
}

/** How much of a run's log the row keeps (its end). */
export const RUN_LOG_BYTES = 64 * 1024;

export async function enqueueRun(
  db: Database,
  run: { modelName: string; config: unknown; trigger?: string; requestedBy?: string | null },
): Promise<number> {
  const [row] = await db
    .insert(trainingRuns)
    .values({
      modelName: run.modelName,
      config: run.config,
      trigger: run.trigger ?? "manual",
      requestedBy: run.requestedBy ?? null,
    })
    .returning({ id: trainingRuns.id });
  return row.id;
}

/**
 * Claims the oldest queued run, or a running one whose worker has been silent for `staleAfterMs`. Returns null
 * when there is nothing to do. Runs that exhausted their attempts are failed instead of claimed.
 */
export async function claimNextRun(
  db: Database,
  options: { workerId: string; staleAfterMs: number; maxAttempts: number },
): Promise<QueuedRun | null> {
  await db.execute(sql`
    update training_runs set status = 'failed', finished_at = now(),
      error = 'its worker stopped responding ' || attempts || ' times; giving up'
    where status = 'running' and heartbeat_at < now() - make_interval(secs => ${options.staleAfterMs / 1000})
      and attempts >= ${options.maxAttempts}`);
  const rows = await queryRows<{
    id: number;
    model_name: string;
    config: unknown;
    attempts: number;
    last_checkpoint_key: string | null;
  }>(
    db,
    sql`
    update training_runs set status = 'running', worker_id = ${options.workerId}, attempts = attempts + 1,
      heartbeat_at = now(), started_at = coalesce(started_at, now())
    where id = (
      select id from training_runs
      where (status = 'queued' and not cancel_requested)
         or (status = 'running' and heartbeat_at < now() - make_interval(secs => ${options.staleAfterMs / 1000}))
      order by created_at, id
      for update skip locked
      limit 1
    )
    returning id, model_name, config, attempts, last_checkpoint_key`,
  );
  const row = rows[0];
  return row
    ? {
        id: row.id,
        modelName: row.model_name,
        config: row.config,
        attempts: row.attempts,
        lastCheckpointKey: row.last_checkpoint_key,
      }
    : null;
}

/** Claims one particular queued run (the command line trains the run it just queued). */
export async function claimRun(db: Database, runId: number, workerId: string): Promise<QueuedRun | null> {
  const rows = await db
    .update(trainingRuns)
    .set({
      status: "running",
      workerId,
      attempts: sql`${trainingRuns.attempts} + 1`,
      heartbeatAt: new Date(),
      startedAt: sql`coalesce(${trainingRuns.startedAt}, now())`,
    })
    .where(and(eq(trainingRuns.id, runId), eq(trainingRuns.status, "queued")))
    .returning();
  const row = rows[0];
  return row
    ? { id: row.id, modelName: row.modelName, config: row.config, attempts: row.attempts, lastCheckpointKey: row.lastCheckpointKey }
    : null;
}

/**
 * Puts a stopped run (cancelled, e.g. by Ctrl-C, or failed) back in the queue to go on from its last checkpoint.
 * Returns false when there is no such run.
 */
export async function reopenRun(db: Database, runId: number): Promise<boolean> {
  const rows = await db
    .update(trainingRuns)
    .set({ status: "queued", cancelRequested: false, error: null, finishedAt: null })
    .where(and(eq(trainingRuns.id, runId), sql`${trainingRuns.status} in ('cancelled', 'failed')`))
    .returning({ id: trainingRuns.id });
  return rows.length > 0;
}

/**
 * Records that the worker is alive (and its progress). Returns false when the run is no longer this worker's (it was
 * handed to another after a stall) or a cancel was requested: either way the worker must stop.
 */
export async function heartbeatRun(
  db: Database,
  runId: number,
  workerId: string,
  update: { progress?: RunProgress; curves?: unknown; lastCheckpointKey?: string; logLines?: string[] } = {},
): Promise<{ keepGoing: boolean; cancelRequested: boolean }> {
  const appended = update.logLines?.length ? update.logLines.map((line) => `${line}\n`).join("") : null;
  const rows = await db
    .update(trainingRuns)
    .set({
      heartbeatAt: new Date(),
      ...(update.progress ? { progress: update.progress } : {}),
      ...(update.curves ? { curves: update.curves } : {}),
      ...(update.lastCheckpointKey ? { lastCheckpointKey: update.lastCheckpointKey } : {}),
      ...(appended ? { log: sql`right(${trainingRuns.log} || ${appended}, ${RUN_LOG_BYTES})` } : {}),
    })
    .where(and(eq(trainingRuns.id, runId), eq(trainingRuns.workerId, workerId), eq(trainingRuns.status, "running")))
    .returning({ cancelRequested: trainingRuns.cancelRequested });
  if (rows.length === 0) return { keepGoing: false, cancelRequested: false };
  return { keepGoing: !rows[0].cancelRequested, cancelRequested: rows[0].cancelRequested };
}

export async function finishRun(
  db: Database,
  runId: number,
  workerId: string,
  outcome: { status: "succeeded" | "failed" | "cancelled"; error?: string; logLines?: string[] },
): Promise<void> {
  const appended = outcome.logLines?.length ? outcome.logLines.map((line) => `${line}\n`).join("") : "";
  await db
    .update(trainingRuns)
    .set({
      status: outcome.status,
      error: outcome.error ?? null,
      finishedAt: new Date(),
      heartbeatAt: new Date(),
      log: sql`right(${trainingRuns.log} || ${appended}, ${RUN_LOG_BYTES})`,
    })
    .where(and(eq(trainingRuns.id, runId), eq(trainingRuns.workerId, workerId)));
}

/** Asks for a run to stop; a queued run is cancelled at once, a running one at its next heartbeat. False when it had ended. */
export async function requestCancel(db: Database, runId: number): Promise<boolean> {
  const rows = await queryRows<{ id: number }>(
    db,
    sql`
    update training_runs set cancel_requested = true,
      status = case when status = 'queued' then 'cancelled'::run_status else status end,
      finished_at = case when status = 'queued' then now() else finished_at end
    where id = ${runId} and status in ('queued', 'running')
    returning id`,
  );
  return rows.length > 0;
}

/**
 * Queues a failed or cancelled run again as a new run with the same model and config (the old one keeps its
 * record). Returns the new run's id, or null when the run is not there or did not fail or stop.
 */
export async function retryRun(db: Database, runId: number, requestedBy: string | null): Promise<number | null> {
  const [row] = await queryRows<{ id: number }>(
    db,
    sql`insert into training_runs (model_name, config, trigger, requested_by)
        select model_name, config, ${`retry of #${runId}`}, ${requestedBy}::uuid from training_runs
        where id = ${runId} and status in ('failed', 'cancelled')
        returning id`,
  );
  return row?.id ?? null;
}
