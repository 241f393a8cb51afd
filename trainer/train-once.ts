/**
 * `npm run train -- --model <name> [--epochs N | --minutes M] [--preset seed|fast]
 * [--labels original|consensus|soft] [--max-train N] [--micro-batch N] [--precision f32|bf16]` (or `--resume <run id>`): queues one run and trains it right here with
 * a progress bar, on whatever is in the database, then evaluates, publishes and scores like the service does. With
 * --minutes the run is bounded by time and the epoch count (given or the preset's) is only a cap. Ctrl-C stops at
 * the next batch, saves a checkpoint and prints the --resume command. Each epoch logs both val accuracies, named:
 * per face (each distinct face once, the run's labels) and per FER-2013 row (PublicTest rows, their FER-2013 labels).
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { SingleBar } from "cli-progress";
import { loadEnv } from "../lib/config/env";
import { MODEL_ZOO } from "../lib/models";
import { ZRunConfig } from "../lib/runs/run-config";
import { claimRun, enqueueRun, reopenRun } from "../lib/runs/run-queue";
import { openServices } from "../lib/runtime/services";
import { selectBackend } from "../lib/tf/select-backend";
import { getRunRow, runTrainingJob } from "./run-training-job";

const startedAt = performance.now();
/** Wall time since the command started, m:ss, so logs show what a run reached after how long. */
function elapsed(): string {
  const seconds = Math.round((performance.now() - startedAt) / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

async function main() {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== "--"),
    options: {
      model: { type: "string" },
      epochs: { type: "string" },
      minutes: { type: "string" },
      preset: { type: "string" },
      labels: { type: "string" },
      "max-train": { type: "string" },
      "micro-batch": { type: "string" },
      precision: { type: "string" },
      seed: { type: "string" },
      resume: { type: "string" },
    },
  });
  if (!values.model && !values.resume) {
    console.error(
      `usage: npm run train -- --model <${MODEL_ZOO.map((m) => m.name).join("|")}> [--epochs N | --minutes M] [--preset seed|fast] [--precision f32|bf16]\n` +
        `       npm run train -- --resume <run id>     (a run stopped with Ctrl-C goes on from its checkpoint)`,
    );
    process.exit(2);
  }
  const number = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const config = ZRunConfig.parse({
    preset: values.preset,
    epochs: number(values.epochs),
    timeBudgetMinutes: number(values.minutes),
    labelPolicy: values.labels,
    maxTrainImages: number(values["max-train"]),
    microBatchSize: number(values["micro-batch"]),
    precision: values.precision,
    seed: number(values.seed),
  });

  const env = loadEnv();
  const backend = await selectBackend(env.TRAINER_BACKEND === "auto" ? {} : { prefer: env.TRAINER_BACKEND });
  console.log(`tfjs backend: ${backend.backend}, ${backend.threads} thread(s): ${backend.detail}`);
  const services = await openServices(env);
  const workerId = `${os.hostname()}:${process.pid}:cli`;
  let runId: number;
  if (values.resume) {
    runId = Number(values.resume);
    if (!Number.isInteger(runId) || !(await reopenRun(services.db, runId))) {
      throw new Error(`run ${values.resume} is not a stopped (cancelled or failed) run that can be resumed`);
    }
  } else {
    runId = await enqueueRun(services.db, { modelName: values.model!, config, trigger: "cli" });
  }
  const run = await claimRun(services.db, runId, workerId);
  if (!run) throw new Error(`run ${runId} was claimed by a running trainer service`);

  const bar = new SingleBar({
    format: " {phase} {bar} {value}/{total} | epoch {epoch} | loss {loss} acc {accuracy} | ETA {eta_formatted}{left}",
    hideCursor: true,
  });
  let barStarted = false;
  // Ctrl-C: stop at the next batch, checkpoint, say how to resume. A second Ctrl-C quits at once.
  const stop = new AbortController();
  process.on("SIGINT", () => {
    if (stop.signal.aborted) process.exit(130);
    console.log(`\nstopping at the next batch and saving a checkpoint (Ctrl-C again quits without one)`);
    stop.abort();
  });
  const outcome = await runTrainingJob(
    {
      db: services.db,
      store: services.store,
      workerId,
      heartbeatMs: 10_000,
      interrupt: stop.signal,
      promotionFloors: { minMacroF1: env.PROMOTION_MIN_MACRO_F1 },
      log: (message) => console.log(`${barStarted ? "\n" : ""}[${elapsed()}] ${message}`),
      onProgress: (p) => {
        if (p.batches === undefined) return;
        if (!barStarted) {
          bar.start(p.batches, 0, {});
          barStarted = true;
        }
        bar.setTotal(p.batches);
        bar.update(p.batch ?? 0, {
          phase: p.phase,
          epoch: p.epoch === undefined ? "-" : p.epochs !== undefined ? `${p.epoch}/${p.epochs}` : `${p.epoch}`,
          left: p.secondsLeft !== undefined ? ` | run: ${Math.ceil(p.secondsLeft / 60)} min left` : "",
          ...(p.loss !== undefined ? { loss: p.loss.toFixed(3), accuracy: p.accuracy?.toFixed(3) } : {}),
        });
      },
    },
    run,
  );
  if (barStarted) bar.stop();
  const row = await getRunRow(services.db, runId);
  console.log(`run ${runId}: ${outcome}${row?.error ? ` (${row.error})` : ""}`);
  if (outcome === "interrupted") console.log(`resume with: npm run train -- --resume ${runId}`);
  await services.close();
  process.exit(outcome === "succeeded" ? 0 : outcome === "interrupted" ? 130 : 1);
}

main().catch((error) => {
  console.error(`train: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
