import * as tf from "@tensorflow/tfjs";
import { reportedBackendName } from "../lib/tf/native/onednn-kernels";
import { eq } from "drizzle-orm";
import { trainingRuns } from "../db/schema";
import type { Database } from "../lib/db/client";
import { getModelSpec } from "../lib/models";
import { publishModelVersion } from "../lib/model-versions/publish-model-version";
import type { PromotionFloors } from "../lib/model-versions/promotion-decision";
import { scoreModelVersion } from "../lib/model-versions/score-model-version";
import { dataFingerprint } from "../lib/evaluation/data-fingerprint";
import { loadBenchmarkRows, PER_FACE_PROTOCOL, PER_ROW_PROTOCOL, rowScorer } from "../lib/evaluation/benchmark-rows";
import {
  describeEvaluation,
  evaluateOnLabelSets,
  majorityClassRate,
  measureRows,
  readFacePixels,
} from "../lib/evaluation/evaluate-version";
import {
  checkpointPrefix,
  loadCheckpoint,
  midEpochCheckpointPrefix,
  pruneCheckpoints,
  saveCheckpoint,
} from "../lib/runs/run-checkpoints";
import { evaluateStoredVersion } from "../lib/model-versions/evaluate-stored-version";
import { recordVersionDetails } from "../lib/model-versions/record-version-details";
import { storeTestPredictions } from "../lib/model-versions/test-predictions";
import { TrainingPace } from "../lib/runs/training-pace";
import { parseRunConfig, resolvePreset } from "../lib/runs/run-config";
import { finishRun, heartbeatRun, type QueuedRun, type RunProgress } from "../lib/runs/run-queue";
import type { ObjectStore } from "../lib/storage/object-store";
import { describeSnapshotForTraining } from "../lib/snapshots/snapshot-training-set";
import { type LabelSource, loadFaceDataset } from "../lib/training-data/load-face-dataset";
import { evaluateWithViews } from "../lib/training/evaluate";
import { trainModel } from "../lib/training/train-model";
import type { EpochMetrics } from "../lib/training/types";

export interface TrainerContext {
  db: Database;
  store: ObjectStore;
  workerId: string;
  /** How often the run proves it is alive (and picks up a cancel). */
  heartbeatMs: number;
  /** For a progress bar when run from the command line. */
  onProgress?: (progress: RunProgress & { loss?: number; accuracy?: number }) => void;
  log?: (message: string) => void;
  /** Stops the run at the next batch (Ctrl-C in `npm run train`): it ends "cancelled", resumable from its checkpoint. */
  interrupt?: AbortSignal;
  /** What a version must clear to serve automatically (PROMOTION_MIN_MACRO_F1); the defaults when unset. */
  promotionFloors?: PromotionFloors;
}

export type JobOutcome = "succeeded" | "failed" | "cancelled" | "lost" | "interrupted";

/**
 * One training run from claim to published model: load the curated set (train to fit, val to select, test only to
 * report), train with a checkpoint to S3 after every epoch (resuming from the last one if an earlier worker died),
 * evaluate on the frozen test split, publish the weights, and score the pool for active learning.
 */
export async function runTrainingJob(ctx: TrainerContext, run: QueuedRun): Promise<JobOutcome> {
  const { db, store } = ctx;
  // Every line also goes to the run's row (with the next heartbeat), where /runs shows it.
  let pendingLog: string[] = [];
  const started = Date.now();
  const log = (message: string) => {
    pendingLog.push(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
    ctx.log?.(message);
  };
  const takeLog = () => {
    const lines = pendingLog;
    pendingLog = [];
    return lines;
  };
  const abort = new AbortController();
  let stopReason: "cancelled" | "lost" | "interrupted" | null = null;
  const onInterrupt = () => {
    if (abort.signal.aborted) return;
    stopReason = "interrupted";
    abort.abort();
  };
  if (ctx.interrupt?.aborted) onInterrupt();
  ctx.interrupt?.addEventListener("abort", onInterrupt);
  let progress: RunProgress = { phase: "loading" };
  let curves: EpochMetrics[] = [];

  const beat = async (update: { lastCheckpointKey?: string } = {}) => {
    const answer = await heartbeatRun(db, run.id, ctx.workerId, { progress, curves, ...update, logLines: takeLog() });
    if (!answer.keepGoing && !abort.signal.aborted) {
      stopReason = answer.cancelRequested ? "cancelled" : "lost";
      abort.abort();
    }
  };
  const timer = setInterval(() => void beat().catch((e) => log(`heartbeat failed: ${e.message}`)), ctx.heartbeatMs);
  const backend = reportedBackendName();
  const report = (next: RunProgress, extra: { loss?: number; accuracy?: number } = {}) => {
    progress = { ...next, backend };
    ctx.onProgress?.({ ...next, ...extra });
  };

  let model: tf.LayersModel | undefined;
  try {
    const config = parseRunConfig(run.config);
    if (config.evaluateModelVersionId !== undefined) {
      // An imported version: nothing to train, only the same evaluation on the frozen test split.
      report({ phase: "evaluating", message: `evaluating version ${config.evaluateModelVersionId}` });
      await beat();
      await evaluateStoredVersion(db, store, config.evaluateModelVersionId, { signal: abort.signal, log });
      report({ phase: "done", message: `evaluated version ${config.evaluateModelVersionId}` });
      await beat();
      await finishRun(db, run.id, ctx.workerId, { status: "succeeded", logLines: takeLog() });
      return "succeeded";
    }
    const spec = getModelSpec(run.modelName);
    const preset = resolvePreset(run.modelName, config);
    const budgetSeconds = config.timeBudgetMinutes !== undefined ? config.timeBudgetMinutes * 60 : undefined;
    // A run bounded by time does not know its number of epochs in advance.
    const epochsLabel = (epoch: number) => (budgetSeconds === undefined ? `${epoch}/${preset.epochs}` : `${epoch}`);
    report({ phase: "loading", message: "reading labels and faces" });
    await beat();
    // One split after the other: the embedded database serves one query at a time anyway. The test split is never
    // loaded under the run's policy: it is measured against the frozen evaluation label sets only.
    const snapshot = config.snapshotId === undefined ? null : await describeSnapshotForTraining(db, config.snapshotId);
    if (snapshot && "error" in snapshot) throw new Error(snapshot.error);
    const source: LabelSource = snapshot
      ? { snapshotId: snapshot.id, soft: snapshot.labelMethod === "soft" }
      : { policy: config.labelPolicy };
    // What the run's labels are called on its log lines, its version record and the leaderboard.
    const labels = snapshot ? `snapshot v${snapshot.version} (${snapshot.labelMethod})` : config.labelPolicy;
    const train = await loadFaceDataset(db, store, "train", source, { limit: config.maxTrainImages });
    const val = await loadFaceDataset(db, store, "val", source);
    if (train.dataset.count === 0) throw new Error("there are no labelled training images");
    const trainFingerprint = dataFingerprint(train.imageIds, train.dataset.labels);
    const valFingerprint = dataFingerprint(val.imageIds, val.dataset.labels);
    const valRows = await loadBenchmarkRows(db, "PublicTest");
    const valRowScorer = valRows.labels.length > 0 ? rowScorer(valRows, val.imageIds) : null;
    const valRowExtra = valRowScorer ? await readFacePixels(store, valRowScorer.extra) : null;
    log(
      `run ${run.id}: ${run.modelName}, ${train.dataset.count} train / ${val.dataset.count} val faces (each face once, ` +
        `${labels} labels)${valRowScorer ? `; ${valRows.labels.length} PublicTest rows for the per-row figure` : ""}`,
    );
    const valLabelsName = `${labels} labels`;

    const precision = config.precision === "bf16" ? ", bf16 mixed-precision convolutions where faster" : "";
    log(`run ${run.id}: tfjs backend ${backend}${precision}, preset ${preset.name} (${preset.description})`);
    model = spec.build();
    const pace = new TrainingPace(preset.batchSize);
    const resume = run.lastCheckpointKey ? await loadCheckpoint(store, run.lastCheckpointKey) : undefined;
    if (resume) {
      const at = resume.meta.batchesCompleted > 0 ? `, batch ${resume.meta.batchesCompleted} of epoch ${resume.meta.epochsCompleted + 1}` : "";
      log(`run ${run.id}: resuming after epoch ${resume.meta.epochsCompleted}${at}`);
    }
    curves = resume?.meta.history ?? [];

    const result = await trainModel({
      model,
      preset,
      train: train.dataset,
      val: val.dataset.count > 0 ? val.dataset : undefined,
      seed: config.seed,
      microBatchSize: config.microBatchSize,
      precision: config.precision,
      timeBudgetSeconds: budgetSeconds,
      resume,
      signal: abort.signal,
      onStop: async (checkpoint) => {
        // Stopped mid-epoch (Ctrl-C, cancel): keep the work of this epoch so far.
        if (stopReason === "lost") return;
        const state = await checkpoint();
        const prefix = midEpochCheckpointPrefix(run.id, state.meta.epochsCompleted + 1, state.meta.batchesCompleted);
        await saveCheckpoint(store, prefix, state);
        await db.update(trainingRuns).set({ lastCheckpointKey: prefix }).where(eq(trainingRuns.id, run.id));
        await pruneCheckpoints(store, run.id, prefix);
        log(`run ${run.id}: checkpoint saved at epoch ${state.meta.epochsCompleted + 1}, batch ${state.meta.batchesCompleted}`);
      },
      valExtra: valRowScorer
        ? async (probabilities, predict) => {
            const rows = valRowScorer.measure(probabilities, await predict(valRowExtra!));
            return {
              [`${PER_ROW_PROTOCOL}:PublicTest`]: rows.accuracy,
              [`${PER_ROW_PROTOCOL}:PublicTest:not-a-face-rows`]: rows.notFaceRows.accuracy,
            };
          }
        : undefined,
      onBatch: (p) => {
        const running = p.batch % 10 === 0 ? p.running() : undefined;
        const batchesLeft = (preset.epochs - p.epoch) * p.batchesPerEpoch + (p.batchesPerEpoch - p.batch);
        const secondsPerBatch = pace.tick();
        report(
          {
            phase: "training",
            epoch: p.epoch,
            ...(budgetSeconds === undefined ? { epochs: preset.epochs } : { secondsLeft: p.secondsLeft }),
            batch: p.batch,
            batches: p.batchesPerEpoch,
            ...(secondsPerBatch !== null
              ? {
                  imagesPerSecond: preset.batchSize / secondsPerBatch,
                  etaSeconds: budgetSeconds === undefined ? batchesLeft * secondsPerBatch : p.secondsLeft,
                }
              : {}),
          },
          running ?? {},
        );
      },
      onEpoch: async (metrics, context) => {
        curves = [...curves.filter((c) => c.epoch !== metrics.epoch), metrics];
        const prefix = checkpointPrefix(run.id, metrics.epoch);
        await saveCheckpoint(store, prefix, await context.checkpoint());
        await beat({ lastCheckpointKey: prefix });
        await pruneCheckpoints(store, run.id, prefix);
        log(
          `run ${run.id}: epoch ${epochsLabel(metrics.epoch)}` +
            (metrics.dataFraction !== undefined ? ` (${pct(metrics.dataFraction)} of the data: out of time)` : "") +
            ` loss ${metrics.trainLoss.toFixed(3)} ` +
            `acc ${metrics.trainAccuracy.toFixed(3)} (${metrics.seconds.toFixed(0)} s)` +
            (metrics.valAccuracy === null
              ? ""
              : ` | val per face ${pct(metrics.valAccuracy)} (${val.dataset.count} faces, ${valLabelsName})`) +
            (metrics.valProtocols?.[`${PER_ROW_PROTOCOL}:PublicTest`] !== undefined
              ? ` | val per FER-2013 row ${pct(metrics.valProtocols[`${PER_ROW_PROTOCOL}:PublicTest`])} ` +
                `(${valRows.labels.length} PublicTest rows, FER-2013 labels; ${valRows.notFace.reduce((a, b) => a + b, 0)} ` +
                `not-a-face rows: ${pct(metrics.valProtocols[`${PER_ROW_PROTOCOL}:PublicTest:not-a-face-rows`] ?? 0)})`
              : ""),
        );
      },
    });
    if (result.cancelled) return await stop(stopReason ?? "cancelled");

    report({ phase: "evaluating" });
    const valMetrics =
      val.dataset.count > 0
        ? {
            protocol: PER_FACE_PROTOCOL,
            split: "val",
            labels,
            ...(await evaluateWithViews(model, val.dataset)),
            majorityClassRate: majorityClassRate(val.dataset.labels),
            selectedEpoch: result.selectedEpoch,
            perRow: valRowScorer ? await measureRows(model, store, valRows) : null,
          }
        : null;
    const testReport = await evaluateOnLabelSets(db, store, model);
    for (const line of describeEvaluation(valMetrics, testReport)) log(`run ${run.id}: ${line}`);
    await beat();
    if (abort.signal.aborted) return await stop(stopReason ?? "cancelled");

    report({ phase: "exporting" });
    const published = await publishModelVersion(db, store, {
      model,
      modelName: run.modelName,
      runId: run.id,
      valMetrics: valMetrics ?? undefined,
      testMetrics: testReport?.metrics,
      labelPolicy: labels,
      trainFingerprint,
      valFingerprint,
      config: { ...config, preset },
      evaluationLabelSetId: testReport?.labelSetId ?? null,
      serve: config.serve,
      floors: ctx.promotionFloors,
    });
    if (testReport) await storeTestPredictions(db, published.id, testReport.predictions);
    await recordVersionDetails(db, store, published.id, {
      backend,
      trainingSeconds: curves.reduce((sum, c) => sum + c.seconds, 0),
      wallSeconds: (Date.now() - started) / 1000,
      preset: preset.name,
      labelPolicy: labels,
      trainImages: train.dataset.count,
    });
    log(
      `run ${run.id}: published ${run.modelName} ${published.version}: ` +
        `${published.serving ? "now serving" : "not serving"} (${published.promotion.reason})`,
    );

    // The run has succeeded once its version is published; scoring the pool is the version's own step, recorded on it.
    report({ phase: "scoring" });
    const scoring = await scoreModelVersion(db, store, model, published.id, {
      signal: abort.signal,
      onProgress: (p) => report({ phase: "scoring", batch: p.scored, batches: p.total }),
    });
    if (scoring.status === "failed") log(`run ${run.id}: scoring failed (${scoring.error}); rerun it with npm run score -- --version ${published.id}`);
    report({ phase: "done", message: `published ${published.version}` });
    await beat();
    await finishRun(db, run.id, ctx.workerId, { status: "succeeded", logLines: takeLog() });
    return "succeeded";
  } catch (error) {
    const message = describeError(error);
    log(`run ${run.id} failed: ${message}`);
    await finishRun(db, run.id, ctx.workerId, { status: "failed", error: message, logLines: takeLog() });
    return "failed";
  } finally {
    clearInterval(timer);
    ctx.interrupt?.removeEventListener("abort", onInterrupt);
    model?.dispose();
  }

  async function stop(reason: "cancelled" | "lost" | "interrupted"): Promise<JobOutcome> {
    // A lost run belongs to another worker now: leave its row alone.
    if (reason === "lost") {
      log(`run ${run.id}: taken over by another worker`);
      return "lost";
    }
    if (reason === "interrupted") {
      const [row] = await db
        .select({ checkpoint: trainingRuns.lastCheckpointKey })
        .from(trainingRuns)
        .where(eq(trainingRuns.id, run.id));
      const error = row?.checkpoint
        ? `interrupted; resume from its last checkpoint (${row.checkpoint}) with: npm run train -- --resume ${run.id}`
        : `interrupted before its first checkpoint; start it again (npm run train -- --resume ${run.id} starts from the beginning)`;
      log(`run ${run.id}: ${error}`);
      await finishRun(db, run.id, ctx.workerId, { status: "cancelled", error, logLines: takeLog() });
      return "interrupted";
    }
    log(`run ${run.id}: cancelled`);
    await finishRun(db, run.id, ctx.workerId, { status: "cancelled", logLines: takeLog() });
    return reason;
  }
}

const pct = (x: number) => `${(100 * x).toFixed(2)} %`;

/** Why a run row says what it says (for tests and the CLI). */
export async function getRunRow(db: Database, runId: number) {
  const [row] = await db.select().from(trainingRuns).where(eq(trainingRuns.id, runId));
  return row;
}

/** drizzle wraps driver errors as "Failed query: <sql>"; the driver's own message is the useful part. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause =
    error.cause === undefined ? null : error.cause instanceof Error ? error.cause.message : String(error.cause);
  return cause && error.message.startsWith("Failed query") ? `database error: ${cause}` : error.message;
}
