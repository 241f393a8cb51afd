/**
 * What a process hosting the embedded services does with an error nothing else caught. Each connection to the wire
 * server, the WebSocket proxy and the local S3 server fails on its own, so a stray error here belongs to one
 * request that is already gone: log it and keep serving the others. But if errors keep coming (a broken state rather
 * than a bad request), stop cleanly (`shutdown` closes PGlite, which leaves its folder consistent) instead of
 * limping on. Never exit mid-write by crashing.
 */
export function installLastResortHandler(options: {
  name: string;
  shutdown: (code: number) => Promise<void> | void;
  /** This many uncaught errors within `windowMs` means the process is broken. */
  limit?: number;
  windowMs?: number;
}): () => void {
  const limit = options.limit ?? 20;
  const windowMs = options.windowMs ?? 60_000;
  let recent: number[] = [];
  let stopping = false;

  const onError = (error: unknown, kind: string) => {
    const now = Date.now();
    recent = [...recent.filter((t) => now - t < windowMs), now];
    console.error(`${options.name}: ${kind} (kept serving):`, error);
    if (recent.length >= limit && !stopping) {
      stopping = true;
      console.error(
        `${options.name}: ${recent.length} unexpected errors within ${windowMs / 1000} s; stopping cleanly`,
      );
      void Promise.resolve(options.shutdown(1)).catch(() => process.exit(1));
    }
  };
  const onException = (error: Error) => onError(error, "uncaught error");
  const onRejection = (reason: unknown) => onError(reason, "unhandled rejection");
  process.on("uncaughtException", onException);
  process.on("unhandledRejection", onRejection);
  return () => {
    process.off("uncaughtException", onException);
    process.off("unhandledRejection", onRejection);
  };
}
