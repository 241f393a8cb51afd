import os from "node:os";
import type { Database } from "../lib/db/client";
import { queueRetrainIfDue } from "../lib/runs/retrain-schedule";
import { getRetrainSettings, type TRetrainSettings, toRetrainPolicy } from "../lib/runs/retrain-settings";
import { claimNextRun } from "../lib/runs/run-queue";
import type { PromotionFloors } from "../lib/model-versions/promotion-decision";
import type { ObjectStore } from "../lib/storage/object-store";
import { isScoringRoundConfig } from "../lib/curation/scoring-rounds/scoring-round-config";
import { runScoringRoundJob } from "./run-scoring-round-job";
import { type JobOutcome, runTrainingJob } from "./run-training-job";

export interface WorkerOptions {
  db: Database;
  store: ObjectStore;
  staleAfterMs: number;
  maxAttempts: number;
  pollMs: number;
  heartbeatMs: number;
  /** The schedule's defaults until an admin saves one on /runs (read again before every claim); null: no schedule. */
  schedule: { defaults: TRetrainSettings; backoffMinutes: number } | null;
  signal: AbortSignal;
  log: (message: string) => void;
  promotionFloors?: PromotionFloors;
}

/** The trainer service: check the schedule, claim a run, train it, repeat, until the signal stops it. */
export async function runWorkerLoop(options: WorkerOptions): Promise<void> {
  const workerId = `${os.hostname()}:${process.pid}`;
  const { db, store, log } = options;
  log(`trainer ${workerId} waiting for runs`);
  while (!options.signal.aborted) {
    const schedule = options.schedule;
    const policy = schedule ? toRetrainPolicy(await getRetrainSettings(db, schedule.defaults), schedule.backoffMinutes) : null;
    if (policy) {
      const decision = await queueRetrainIfDue(db, policy);
      if (decision.queued) log(`scheduled run ${decision.runId}: ${decision.reason}`);
    }
    const run = await claimNextRun(db, { workerId, staleAfterMs: options.staleAfterMs, maxAttempts: options.maxAttempts });
    if (!run) {
      await sleep(options.pollMs, options.signal);
      continue;
    }
    log(`claimed run ${run.id} (${run.modelName}, attempt ${run.attempts})`);
    const job = isScoringRoundConfig(run.config) ? runScoringRoundJob : runTrainingJob;
    const outcome: JobOutcome = await job(
      { db, store, workerId, heartbeatMs: options.heartbeatMs, log, promotionFloors: options.promotionFloors },
      run,
    );
    log(`run ${run.id}: ${outcome}`);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
