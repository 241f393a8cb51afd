/**
 * `npm run trainer`: the trainer service. Picks the fastest tfjs backend this host has (native TensorFlow with a
 * GPU, native on CPU, wasm, plain JS), then claims queued training runs from Postgres until stopped. Also queues
 * retrains on a schedule (RETRAIN_AFTER_LABELS / RETRAIN_AFTER_HOURS).
 */
import { loadEnv } from "../lib/config/env";
import { startMislabelRefresher } from "../lib/labelling/mislabel-refresher";
import { openServices } from "../lib/runtime/services";
import { selectBackend } from "../lib/tf/select-backend";
import { defaultRetrainSettings } from "../lib/runs/retrain-settings";
import { runWorkerLoop } from "./worker-loop";

async function main() {
  const env = loadEnv();
  const backend = await selectBackend(env.TRAINER_BACKEND === "auto" ? {} : { prefer: env.TRAINER_BACKEND });
  console.log(`trainer: tfjs backend ${backend.backend}, ${backend.threads} thread(s): ${backend.detail}`);
  const services = await openServices(env);
  const stop = new AbortController();
  process.on("SIGINT", () => stop.abort());
  process.on("SIGTERM", () => stop.abort());
  // The mislabel queue's cache is rebuilt here, never inside a web request.
  const refresher = startMislabelRefresher(services.db, { log: (message) => console.log(`trainer: ${message}`) });
  try {
    await runWorkerLoop({
      db: services.db,
      store: services.store,
      staleAfterMs: env.TRAINER_STALE_SECONDS * 1000,
      maxAttempts: env.TRAINER_MAX_ATTEMPTS,
      pollMs: 5000,
      heartbeatMs: 10_000,
      schedule: { defaults: defaultRetrainSettings(env), backoffMinutes: env.RETRAIN_BACKOFF_MINUTES },
      promotionFloors: { minMacroF1: env.PROMOTION_MIN_MACRO_F1 },
      signal: stop.signal,
      log: (message) => console.log(`trainer: ${message}`),
    });
  } finally {
    await refresher.stop();
    await services.close();
  }
}

main().catch((error) => {
  console.error(`trainer: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
