import type { OutboxStatus } from "./annotation-outbox";

/** Saving happens in the background; this says what has not reached the server yet, and why. */
export function SaveStatus({
  saving,
  onRetry,
  onDismiss,
}: {
  saving: OutboxStatus;
  onRetry(): void;
  onDismiss(): void;
}) {
  const labels = (n: number) => `${n} ${n === 1 ? "label" : "labels"}`;
  return (
    <div role="status" aria-label="Saving" data-testid="save-status" data-waiting={saving.waiting} className="text-xs">
      {saving.waiting === 0 ? (
        <span className="text-neutral-500">All labels saved</span>
      ) : (
        <span className={saving.retrying > 0 ? "text-amber-700 dark:text-amber-400" : "text-neutral-500"}>
          {labels(saving.waiting)} waiting to save
          {saving.retrying > 0 ? (
            <>
              {" "}
              / retrying{saving.nextRetryInS !== null ? ` in ${saving.nextRetryInS} s` : ""}
              {saving.lastError ? ` (${saving.lastError})` : ""}{" "}
              <button type="button" onClick={onRetry} className="underline">
                Retry now
              </button>
            </>
          ) : null}
        </span>
      )}
      {saving.failed.length > 0 ? (
        <div className="mt-1 text-red-600">
          {labels(saving.failed.length)} not saved:{" "}
          {saving.failed.map((f) => `face ${f.op.imageId} (${f.error})`).join("; ")}{" "}
          <button type="button" onClick={onDismiss} className="underline">
            Dismiss
          </button>
        </div>
      ) : null}
    </div>
  );
}
