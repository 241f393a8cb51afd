import { type AnnotationBody, ApiError, deleteAnnotation, postAnnotation, postSkip } from "./label-api";

/**
 * Decisions waiting to reach the server. The page moves on at once and this sends in the background, one request at
 * a time in decision order (an undo must follow the label it undoes), retrying with backoff on network errors and
 * 5xx answers. Every entry lives in localStorage until the server acknowledged it, so a reload or a crash loses
 * nothing; labels are idempotent by clientRequestId, so sending one twice is harmless. Entries the server refuses
 * for good (409: already labelled) stay visible as failed until dismissed: nothing disappears silently.
 */
export type OutboxOp =
  | { kind: "annotate"; id: string; imageId: number; body: AnnotationBody }
  | { kind: "undo"; id: string; imageId: number; clientRequestId: string }
  | { kind: "skip"; id: string; imageId: number };

interface Entry {
  op: OutboxOp;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
}

export interface FailedOp {
  op: OutboxOp;
  error: string;
}

export interface OutboxStatus {
  /** Labels (and undos, skips) not yet acknowledged. */
  waiting: number;
  /** How many of them failed at least once and wait for their next try. */
  retrying: number;
  lastError: string | null;
  /** Seconds until the next retry, when one is scheduled. */
  nextRetryInS: number | null;
  failed: FailedOp[];
}

export type SendOp = (op: OutboxOp) => Promise<void>;

const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 30_000;

export class AnnotationOutbox {
  private entries: Entry[];
  private failed: FailedOp[];
  private readonly settled = new Set<string>();
  private inFlight: string | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;

  constructor(
    private readonly storageKey: string,
    private readonly onChange: () => void,
    private readonly send: SendOp = sendOp,
    private readonly storage: Storage | null = typeof localStorage === "undefined" ? null : localStorage,
  ) {
    const saved = this.read();
    this.entries = saved.entries.map((e) => ({ ...e, attempts: 0, nextAttemptAt: 0 }));
    this.failed = saved.failed;
    if (typeof window !== "undefined") window.addEventListener("online", this.retryNow);
    // What an earlier page left unsent goes out now.
    queueMicrotask(() => this.pump());
  }

  enqueue(op: OutboxOp): void {
    this.entries.push({ op, attempts: 0, nextAttemptAt: 0, lastError: null });
    this.changed();
    this.pump();
  }

  /** Takes back an op not yet sent (e.g. the label an undo cancels); false when it is in flight or already sent. */
  cancel(id: string): boolean {
    if (this.inFlight === id) return false;
    const index = this.entries.findIndex((e) => e.op.id === id);
    if (index < 0) return false;
    this.entries.splice(index, 1);
    this.settled.add(id);
    this.changed();
    return true;
  }

  /** Images with a decision the server has not acknowledged: their leases may still show them as ours. */
  pendingImageIds(): Set<number> {
    return new Set(this.entries.filter((e) => e.op.kind !== "undo").map((e) => e.op.imageId));
  }

  /** Whether the op is still on its way (queued, in flight or waiting to retry). */
  isWaiting(id: string): boolean {
    return this.entries.some((e) => e.op.id === id);
  }

  status(): OutboxStatus {
    const retrying = this.entries.filter((e) => e.attempts > 0);
    const next = retrying.length > 0 ? Math.min(...retrying.map((e) => e.nextAttemptAt)) : null;
    return {
      waiting: this.entries.length,
      retrying: retrying.length,
      lastError: retrying[0]?.lastError ?? null,
      nextRetryInS: next === null ? null : Math.max(0, Math.ceil((next - Date.now()) / 1000)),
      failed: this.failed,
    };
  }

  dismissFailed(): void {
    this.failed = [];
    this.changed();
  }

  retryNow = (): void => {
    for (const entry of this.entries) entry.nextAttemptAt = 0;
    this.pump();
  };

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    if (typeof window !== "undefined") window.removeEventListener("online", this.retryNow);
  }

  private pump(): void {
    if (this.disposed || this.inFlight !== null) return;
    const entry = this.entries[0];
    if (!entry) return;
    const wait = entry.nextAttemptAt - Date.now();
    if (wait > 0) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.timer = null;
        this.pump();
      }, wait);
      return;
    }
    this.inFlight = entry.op.id;
    void this.send(entry.op).then(
      () => this.finish(entry, null),
      (error: unknown) => this.finish(entry, error),
    );
  }

  private finish(entry: Entry, error: unknown): void {
    this.inFlight = null;
    if (this.disposed) return;
    if (error === null || isDone(entry.op, error)) {
      this.remove(entry);
    } else if (isRetryable(error)) {
      entry.attempts++;
      entry.lastError = describe(error);
      const backoff = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (entry.attempts - 1));
      entry.nextAttemptAt = Date.now() + backoff * (0.8 + Math.random() * 0.4);
    } else {
      this.remove(entry);
      if (entry.op.kind === "annotate") this.failed = [...this.failed, { op: entry.op, error: describe(error) }];
    }
    this.changed();
    this.pump();
  }

  private remove(entry: Entry): void {
    this.entries = this.entries.filter((e) => e !== entry);
    this.settled.add(entry.op.id);
  }

  private changed(): void {
    this.write();
    this.onChange();
  }

  private read(): { entries: Entry[]; failed: FailedOp[] } {
    try {
      const parsed = JSON.parse(this.storage?.getItem(this.storageKey) ?? "null") as {
        entries?: Entry[];
        failed?: FailedOp[];
      } | null;
      return { entries: parsed?.entries ?? [], failed: parsed?.failed ?? [] };
    } catch {
      return { entries: [], failed: [] };
    }
  }

  /** Merges with what another tab of the same user may have stored meanwhile, instead of overwriting it. */
  private write(): void {
    if (!this.storage) return;
    const mine = new Set(this.entries.map((e) => e.op.id));
    const others = this.read().entries.filter((e) => !mine.has(e.op.id) && !this.settled.has(e.op.id));
    try {
      this.storage.setItem(
        this.storageKey,
        JSON.stringify({ entries: [...others, ...this.entries], failed: this.failed }),
      );
    } catch {
      // Storage full or disabled: the entries are still kept in memory and sent.
    }
  }
}

function describe(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return "offline or server unreachable";
    if (error.status === 401) return "signed out: sign in again to save";
    return `${error.status}: ${error.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}

function isRetryable(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true;
  return (
    error.status === 0 || error.status === 401 || error.status === 408 || error.status === 429 || error.status >= 500
  );
}

/** Answers that mean the goal is reached anyway: undoing what is not there, skipping what is gone. */
function isDone(op: OutboxOp, error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  if (op.kind === "undo") return error.status === 404;
  if (op.kind === "skip") return error.status === 404 || error.status === 409;
  return false;
}

async function sendOp(op: OutboxOp): Promise<void> {
  if (op.kind === "annotate") await postAnnotation(op.body);
  else if (op.kind === "undo") await deleteAnnotation(op.clientRequestId);
  else await postSkip(op.imageId);
}
