import type { Database } from "../db/client";
import { REFRESH_MS, rebuildMislabelScores, servingScope } from "./mislabel-scores";

/**
 * Keeps the mislabel queue's cache fresh from a long-running process (the trainer; under `npm start`, the process
 * hosting the embedded services): rebuilt soon after the serving version changes and every REFRESH_MS otherwise.
 * Requests never rebuild it, so nothing depends on a request's process living on after its response.
 */
export interface MislabelRefresher {
  /** One check now (also what the timer runs); resolves when any rebuild it started is done. */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

export function startMislabelRefresher(
  db: Database,
  options: { checkMs?: number; refreshMs?: number; log?: (message: string) => void } = {},
): MislabelRefresher {
  const refreshMs = options.refreshMs ?? REFRESH_MS;
  let builtScope = -1;
  let builtAt = 0;
  let running: Promise<void> | null = null;

  const check = async () => {
    const scope = await servingScope(db);
    if (scope === builtScope && Date.now() - builtAt < refreshMs) return;
    const scored = await rebuildMislabelScores(db, scope);
    builtScope = scope;
    builtAt = Date.now();
    options.log?.(`mislabel scores rebuilt for version ${scope || "none"}: ${scored} suspects`);
  };
  const tick = () => {
    running ??= check()
      .catch((error) =>
        console.error("mislabel scores: rebuild failed:", error instanceof Error ? error.message : error),
      )
      .finally(() => void (running = null));
    return running;
  };
  const timer = setInterval(() => void tick(), options.checkMs ?? 10_000);
  timer.unref?.();
  void tick();
  return {
    tick,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
