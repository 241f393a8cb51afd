import { parseScoringRoundConfig } from "../lib/curation/scoring-rounds/scoring-round-config";
import { runScoringRound } from "../lib/curation/scoring-rounds/run-scoring-round";
import { finishScoringRound } from "../lib/curation/scoring-rounds/scoring-round-store";
import { rebuildStrategyRanks } from "../lib/curation/strategy-ranks/rebuild-strategy-ranks";
import { finishRun, heartbeatRun, type QueuedRun, type RunProgress } from "../lib/runs/run-queue";
import type { JobOutcome, TrainerContext } from "./run-training-job";

/**
 * A scoring round claimed from the run queue (config.job = "scoring-round"): heartbeats and progress for /runs, a
 * cancel at the next heartbeat, then the queue's strategy rankings rebuilt from the new round.
 */
export async function runScoringRoundJob(ctx: TrainerContext, run: QueuedRun): Promise<JobOutcome> {
  const { db, store } = ctx;
  const log = ctx.log ?? (() => {});
  const abort = new AbortController();
  let stopReason: "cancelled" | "lost" | null = null;
  let progress: RunProgress = { phase: "loading" };
  const beat = async () => {
    const answer = await heartbeatRun(db, run.id, ctx.workerId, { progress });
    if (!answer.keepGoing && !abort.signal.aborted) {
      stopReason = answer.cancelRequested ? "cancelled" : "lost";
      abort.abort();
    }
  };
  const timer = setInterval(() => void beat().catch((e) => log(`heartbeat failed: ${e.message}`)), ctx.heartbeatMs);
  let roundId: number | null = null;
  try {
    const config = parseScoringRoundConfig(run.config);
    await beat();
    const result = await runScoringRound(
      db,
      store,
      { runId: run.id, config },
      {
        signal: abort.signal,
        log,
        onProgress: (p) => {
          const foldText = p.fold !== undefined ? `fold ${p.fold + 1}/${p.folds}` : `${p.folds} folds`;
          progress = {
            phase: p.phase === "training" ? "training" : p.phase === "done" ? "done" : p.phase === "scoring" ? "scoring" : "loading",
            epoch: p.epoch,
            ...(config.timeBudgetMinutes === undefined ? { epochs: config.epochs } : { secondsLeft: p.secondsLeft }),
            batch: p.batch,
            batches: p.batches,
            message: `scoring round: ${foldText}${p.message ? `: ${p.message}` : ""}`,
          };
          ctx.onProgress?.(progress);
        },
      },
    );
    roundId = result.roundId;
    if (result.status === "cancelled") {
      const reason = stopReason ?? "cancelled";
      if (reason === "cancelled") await finishRun(db, run.id, ctx.workerId, { status: "cancelled" });
      log(`run ${run.id}: scoring round ${reason}`);
      return reason;
    }
    progress = { phase: "scoring", message: "ranking the queue's strategies" };
    const ranked = await rebuildStrategyRanks(db);
    log(`run ${run.id}: scoring round ${result.roundId} complete in ${result.seconds.toFixed(0)} s; ${ranked} queue ranks`);
    progress = { phase: "done", message: `scoring round ${result.roundId} complete` };
    await beat();
    await finishRun(db, run.id, ctx.workerId, { status: "succeeded" });
    return "succeeded";
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`run ${run.id} failed: ${message}`);
    if (roundId !== null) await finishScoringRound(db, roundId, { status: "failed" });
    await finishRun(db, run.id, ctx.workerId, { status: "failed", error: message });
    return "failed";
  } finally {
    clearInterval(timer);
  }
}
