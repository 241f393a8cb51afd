import type { ServingModelRef } from "@/lib/model-versions/serving-model-ref";
import { type FetchedModelFiles, fetchModelFiles } from "@/lib/suggestions/fetch-model-files";
import type { Suggester } from "@/lib/suggestions/open-suggester";
import { decodeFaceInput } from "@/lib/suggestions/face-input";
import type { Suggestion, SuggestionBackend } from "@/lib/suggestions/types";
import { AnnotationOutbox, type OutboxStatus } from "./annotation-outbox";
import {
  ApiError,
  fetchQueue,
  fetchServingModel,
  postRelease,
  type QueueItem,
  type QueueResponse,
  type Strategy,
} from "./label-api";

/**
 * The labelling page's state outside React: a buffer of leased items whose images are fetched and decoded and whose
 * suggestions are computed ahead, so the next card shows at once; decisions go to the outbox (optimistic saving);
 * the serving model version is followed without a reload. React reads `snapshot()` through useSyncExternalStore.
 */

const AHEAD = 5; // items held ready behind the current one
const REFILL_BELOW = 3; // refill when fewer are ahead
const MAX_COUNT = 20;
const SERVING_POLL_MS = 45_000;
const EMPTY_RETRY_MS = 15_000;
const HISTORY = 20; // decisions that can be undone
const SUGGEST_BATCH = 6;

// The suggestion code (tfjs, ~1.5 MB) starts loading as soon as this module runs in the browser, during hydration.
const suggesterModule = typeof window === "undefined" ? null : import("@/lib/suggestions/open-suggester");
suggesterModule?.catch(() => undefined); // a failure surfaces where it is awaited

export interface CardView {
  item: QueueItem;
  /** Object URL of the fetched image; null until it arrived. */
  imageSrc: string | null;
  imageError: string | null;
  /** The suggestion on screen: null for blind items and while it is computed. */
  suggestion: Suggestion | null;
}

export interface ModelStatus {
  state: "none" | "loading" | "ready" | "error";
  ref: ServingModelRef | null;
  /** Set while a newer version loads in the background. */
  loadingRef: ServingModelRef | null;
  backend: SuggestionBackend | null;
  backendReason: string | null;
  loadedFrom: string | null;
  loadMs: number | null;
  lastMsPerFace: number | null;
  error: string | null;
}

/** The last decision, said in words for a moment (and to screen readers). */
export interface DecisionFeedback {
  /** Increases with every decision, so the same words twice are still a new announcement. */
  seq: number;
  kind: "label" | "skip" | "undo";
  imageId: number;
  /** The label saved (0..6, -1 not a face) for kind "label". */
  label: number | null;
  /** Whether the server has acknowledged it (labels and skips). */
  saved: boolean;
}

export interface SessionSnapshot {
  phase: "loading" | "labelling" | "empty" | "error";
  current: CardView | null;
  feedback: DecisionFeedback | null;
  buffered: number;
  decidedCount: number;
  canUndo: boolean;
  saving: OutboxStatus;
  model: ModelStatus;
  error: string | null;
  notice: string | null;
}

export interface SessionOptions {
  userId: string;
  strategy: Strategy;
  initialServingModel: ServingModelRef | null;
  forceBackend: SuggestionBackend | null;
  /** The queue the server claimed while rendering the page: its first face is in the HTML already. */
  initialQueue?: QueueResponse | null;
}

interface Entry {
  item: QueueItem;
  imageSrc: string | null;
  imageError: string | null;
  pixels: Float32Array | null;
  suggestion: Suggestion | null;
}

type Decision =
  | { kind: "label"; entry: Entry; clientRequestId: string; label: number }
  | { kind: "skip"; entry: Entry; opId: string };

export interface SuggestionStats {
  modelVersionId: number | null;
  backend: SuggestionBackend | null;
  backendReason: string | null;
  loadMs: number | null;
  loadedFrom: string | null;
  /** Whether the model runs as fused ops (batch norm folded in). */
  fused: boolean | null;
  /** Per-face ms of every forward pass run for the page, with its batch size. */
  passes: { msPerFace: number; faces: number }[];
  /** Runs the serving model on the buffered faces: per-face ms of `runs` passes of `batch` faces each. */
  measure(runs: number, batch: number): Promise<number[]>;
  /** The model versions whose files this browser keeps in IndexedDB. */
  cachedVersions(): Promise<number[]>;
}

export class LabellingSession {
  private queue: Entry[] = [];
  private readonly excluded = new Set<number>();
  private history: Decision[] = [];
  private decidedCount = 0;
  private shownAt: number | null = null;
  private fetching = false;
  private phase: SessionSnapshot["phase"] = "loading";
  private error: string | null = null;
  private notice: string | null = null;
  private suggester: Suggester | null = null;
  private model: ModelStatus;
  private suggesting = false;
  private readonly outbox: AnnotationOutbox;
  private readonly timers: ReturnType<typeof setInterval | typeof setTimeout>[] = [];
  private emptyRetry: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = new Set<() => void>();
  private current: SessionSnapshot | null = null;
  private disposed = false;
  private readonly passes: SuggestionStats["passes"] = [];
  private feedback: (Omit<DecisionFeedback, "saved"> & { opId: string | null }) | null = null;
  private feedbackSeq = 0;
  /** Every image the server handed this session (the page's own claim and each queue answer). */
  private readonly served = new Set<number>();

  constructor(private readonly options: SessionOptions) {
    this.model = {
      state: options.initialServingModel ? "loading" : "none",
      ref: null,
      loadingRef: null,
      backend: null,
      backendReason: null,
      loadedFrom: null,
      loadMs: null,
      lastMsPerFace: null,
      error: null,
    };
    this.outbox = new AnnotationOutbox(`faceloop.outbox.v1.${options.userId}`, () => this.emit());
  }

  start(): void {
    mark("faceloop:session-start");
    if (this.options.initialServingModel) void this.followServingModel(this.options.initialServingModel);
    const initial = this.options.initialQueue;
    if (initial) {
      // Server-rendered: the first face is on screen (or loading) from the HTML, under its plain URL.
      this.adopt(initial, true);
      if (this.queue[0]) this.shownAt = performance.now();
      if (this.queue.length === 0) {
        this.phase = "empty";
        this.emptyRetry = setTimeout(() => void this.refill(), EMPTY_RETRY_MS);
      } else if (this.queue.length - 1 < REFILL_BELOW) void this.refill();
      this.emit();
    } else void this.refill();
    this.timers.push(setInterval(() => void this.pollServingModel(), SERVING_POLL_MS));
    // The outbox's retry countdown is shown, so refresh the status once a second while anything waits.
    this.timers.push(
      setInterval(() => {
        if (this.outbox.status().retrying > 0) this.emit();
      }, 1000),
    );
  }

  dispose(): void {
    this.disposed = true;
    for (const timer of this.timers) clearInterval(timer);
    if (this.emptyRetry) clearTimeout(this.emptyRetry);
    this.outbox.dispose();
    this.suggester?.dispose();
    for (const entry of [...this.queue, ...this.history.map((d) => d.entry)]) revoke(entry);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  snapshot = (): SessionSnapshot => {
    this.current ??= this.buildSnapshot();
    return this.current;
  };

  // ------------------------------------------------------------------ decisions

  /** A label for the current face: 0..6, or -1 for not a face. */
  decide(label: number): void {
    const entry = this.queue[0];
    if (!entry || entry.imageSrc === null || this.shownAt === null) return;
    if (entry.imageError) return this.say("This face did not load: skip it with Space.");
    // Recorded exactly as shown: a suggestion of a version just replaced is not on screen.
    const suggestion = this.snapshot().current?.suggestion ?? null;
    const clientRequestId = randomId();
    this.outbox.enqueue({
      kind: "annotate",
      id: clientRequestId,
      imageId: entry.item.imageId,
      body: {
        clientRequestId,
        imageId: entry.item.imageId,
        label,
        durationMs: Math.max(0, Math.round(performance.now() - this.shownAt)),
        suggestedLabel: suggestion ? suggestion.top[0].label : null,
        suggestionModelVersionId: suggestion ? suggestion.modelVersionId : null,
        blind: entry.item.blind,
      },
    });
    this.decidedCount++;
    this.remember({ kind: "label", entry, clientRequestId, label });
    this.tell("label", entry.item.imageId, label, clientRequestId);
    this.advance();
  }

  /** Enter: take the suggestion's top class. */
  accept(): void {
    const entry = this.queue[0];
    if (!entry) return;
    if (entry.item.blind) return this.say("Blind item: choose a label with 1-7 or 0.");
    if (!entry.suggestion) return this.say("No suggestion yet: choose a label with 1-7 or 0.");
    this.decide(entry.suggestion.top[0].label);
  }

  skip(): void {
    const entry = this.queue[0];
    if (!entry || entry.imageSrc === null) return;
    const opId = randomId();
    this.outbox.enqueue({ kind: "skip", id: opId, imageId: entry.item.imageId });
    this.remember({ kind: "skip", entry, opId });
    this.tell("skip", entry.item.imageId, null, opId);
    this.advance();
  }

  /** Z: takes back the last decision and shows that face again. */
  undo(): void {
    const last = this.history.pop();
    if (!last) return this.say("Nothing to undo.");
    if (last.kind === "label") {
      if (!this.outbox.cancel(last.clientRequestId)) {
        this.outbox.enqueue({
          kind: "undo",
          id: randomId(),
          imageId: last.entry.item.imageId,
          clientRequestId: last.clientRequestId,
        });
      }
      this.decidedCount--;
    } else {
      this.outbox.cancel(last.opId);
    }
    this.excluded.delete(last.entry.item.imageId);
    this.queue.unshift(last.entry);
    this.shownAt = performance.now();
    this.tell("undo", last.entry.item.imageId, last.kind === "label" ? last.label : null, null);
    this.phase = "labelling";
    this.emit();
  }

  /**
   * Gives back what this user holds (except faces with a decision still on its way), so the next claim serves a
   * new strategy's faces first instead of the old strategy's buffer. Best effort: held items expire anyway.
   */
  async releaseHeld(): Promise<void> {
    try {
      await postRelease([...this.outbox.pendingImageIds()]);
    } catch {
      // The old strategy's faces come first once more; nothing is lost.
    }
  }

  dismissFailed(): void {
    this.outbox.dismissFailed();
  }

  retrySaving(): void {
    this.outbox.retryNow();
  }

  private remember(decision: Decision): void {
    this.excluded.add(decision.entry.item.imageId);
    this.history.push(decision);
    while (this.history.length > HISTORY) {
      const dropped = this.history.shift()!;
      if (!this.queue.includes(dropped.entry)) revoke(dropped.entry);
    }
  }

  private advance(): void {
    this.queue.shift();
    this.notice = null;
    // Items whose lease ran out may be someone else's by now: leave them (the current card stays).
    const soon = Date.now() + 10_000;
    this.queue = this.queue.filter((entry, i) => {
      const keep = i === 0 || Date.parse(entry.item.leaseExpiresAt) > soon;
      if (!keep) revoke(entry);
      return keep;
    });
    this.markShown();
    if (this.queue.length === 0) this.phase = this.fetching ? "loading" : "empty";
    this.emit();
    if (this.queue.length - 1 < REFILL_BELOW) void this.refill();
  }

  private markShown(): void {
    this.shownAt = this.queue[0]?.imageSrc ? performance.now() : null;
  }

  private tell(kind: DecisionFeedback["kind"], imageId: number, label: number | null, opId: string | null): void {
    this.feedback = { seq: ++this.feedbackSeq, kind, imageId, label, opId };
  }

  private say(notice: string): void {
    this.notice = notice;
    this.emit();
  }

  // ------------------------------------------------------------------ the queue

  private async refill(): Promise<void> {
    if (this.fetching || this.disposed) return;
    this.fetching = true;
    if (this.emptyRetry) clearTimeout(this.emptyRetry);
    try {
      const pending = this.outbox.pendingImageIds();
      // The server answers our own unexpired leases first (held and not yet acknowledged ones), then new ones.
      const want = Math.max(1, AHEAD + 1 - this.queue.length);
      const count = Math.min(MAX_COUNT, this.queue.length + pending.size + want);
      const response = await fetchQueue(this.options.strategy, count);
      mark("faceloop:queue-loaded");
      if (this.disposed) return;
      this.adopt(response, false);
      this.error = null;
      if (this.queue.length > 0) this.phase = "labelling";
      else {
        this.phase = "empty";
        this.emptyRetry = setTimeout(() => void this.refill(), EMPTY_RETRY_MS);
      }
    } catch (error) {
      this.error =
        error instanceof ApiError && error.status === 401
          ? "Signed out: sign in again."
          : `Could not load faces: ${message(error)}`;
      if (this.queue.length === 0) this.phase = "error";
      this.emptyRetry = setTimeout(() => void this.refill(), EMPTY_RETRY_MS);
    } finally {
      this.fetching = false;
      this.emit();
    }
  }

  /** Takes a queue answer's new items into the buffer and starts fetching their images. */
  private adopt(response: QueueResponse, serverRendered: boolean): void {
    if (response.servingModel?.id !== this.model.ref?.id) void this.followServingModel(response.servingModel);
    for (const item of response.items) this.served.add(item.imageId);
    const pending = this.outbox.pendingImageIds();
    const have = new Set(this.queue.map((e) => e.item.imageId));
    const fresh = response.items.filter(
      (item) => !have.has(item.imageId) && !pending.has(item.imageId) && !this.excluded.has(item.imageId),
    );
    for (const item of fresh) {
      // The page's HTML shows the first face by its URL; keep it, so the card does not flicker.
      const shown = serverRendered && this.queue.length === 0 ? item.imageUrl : null;
      const entry: Entry = { item, imageSrc: shown, imageError: null, pixels: null, suggestion: null };
      this.queue.push(entry);
      void this.loadImage(entry);
    }
    if (this.queue.length > 0) this.phase = "labelling";
  }

  private async loadImage(entry: Entry): Promise<void> {
    try {
      // The images are cached for good (immutable), so a face the HTML already shows comes from the cache.
      const response = await fetch(entry.item.imageUrl, { credentials: "same-origin" });
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      const blob = await response.blob();
      entry.imageSrc ??= URL.createObjectURL(blob);
      if (!entry.item.blind) entry.pixels = await decodeFaceInput(blob);
    } catch (error) {
      entry.imageError = `image did not load: ${message(error)}`;
      // A face that cannot be shown cannot be labelled: show it failed, but let the user skip it.
      entry.imageSrc ??= entry.item.imageUrl;
    }
    if (this.disposed) return revoke(entry);
    if (this.queue[0] === entry && this.shownAt === null) {
      this.shownAt = performance.now();
      mark("faceloop:first-face");
    }
    this.emit();
    void this.suggestAhead();
  }

  // ------------------------------------------------------------------ suggestions

  private async pollServingModel(): Promise<void> {
    try {
      const ref = await fetchServingModel();
      if (ref?.id !== this.model.ref?.id) await this.followServingModel(ref);
    } catch {
      // Polling again later; the queue's answers carry the serving version too.
    }
  }

  /** Loads a newly served version in the background; the old one keeps suggesting until it is ready. */
  private async followServingModel(ref: ServingModelRef | null): Promise<void> {
    if (ref === null) {
      if (this.model.ref === null && this.model.loadingRef === null) {
        this.model = { ...this.model, state: "none" };
        this.emit();
      }
      return;
    }
    if (ref.id === this.model.ref?.id || ref.id === this.model.loadingRef?.id) return;
    this.model = { ...this.model, loadingRef: ref, state: this.suggester ? "ready" : "loading", error: null };
    this.emit();
    try {
      // The files download while tfjs loads (from the HTTP cache on later visits; IndexedDB is asked first anyway).
      const prefetched: Promise<FetchedModelFiles> = fetchModelFiles(ref.modelJsonUrl);
      prefetched.catch(() => undefined);
      const { openSuggester } = await (suggesterModule ?? import("@/lib/suggestions/open-suggester"));
      mark("faceloop:tfjs-loaded");
      const suggester = await openSuggester(ref, {
        force: this.options.forceBackend,
        memory: safeLocalStorage(),
        prefetched,
      });
      mark("faceloop:model-ready");
      if (this.disposed || this.model.loadingRef?.id !== ref.id) return suggester.dispose();
      this.suggester?.dispose();
      this.suggester = suggester;
      this.model = {
        ...this.model,
        state: "ready",
        ref,
        loadingRef: null,
        backend: suggester.backend,
        backendReason: suggester.backendReason,
        loadedFrom: suggester.loadedFrom,
        loadMs: suggester.loadMs,
      };
      this.emit();
      void this.suggestAhead();
    } catch (error) {
      if (this.model.loadingRef?.id !== ref.id) return;
      this.model = {
        ...this.model,
        state: this.suggester ? "ready" : "error",
        loadingRef: null,
        error: message(error),
      };
      this.emit();
    }
  }

  /** Computes suggestions for buffered faces in queue order (current first), a few per forward pass. */
  private async suggestAhead(): Promise<void> {
    if (this.suggesting || this.disposed) return;
    this.suggesting = true;
    try {
      for (;;) {
        const suggester = this.suggester;
        if (!suggester) return;
        const todo = this.queue
          .filter((e) => !e.item.blind && e.pixels !== null && e.suggestion?.modelVersionId !== suggester.model.id)
          .slice(0, SUGGEST_BATCH);
        if (todo.length === 0) return;
        const { suggestions, msPerFace } = await suggester.suggest(todo.map((e) => e.pixels!));
        todo.forEach((entry, i) => (entry.suggestion = suggestions[i]));
        this.passes.push({ msPerFace, faces: todo.length });
        this.model = { ...this.model, lastMsPerFace: msPerFace };
        this.emit();
      }
    } catch (error) {
      this.model = { ...this.model, error: `suggestions failed: ${message(error)}` };
      this.emit();
    } finally {
      this.suggesting = false;
    }
  }

  /** The images the server handed this session so far (for the browser tests). */
  servedImageIds(): number[] {
    return [...this.served];
  }

  /** What the benchmark and the tests read: backend, load time, per-face times, and a way to measure more. */
  stats(): SuggestionStats {
    return {
      modelVersionId: this.model.ref?.id ?? null,
      backend: this.model.backend,
      backendReason: this.model.backendReason,
      loadMs: this.model.loadMs,
      loadedFrom: this.model.loadedFrom,
      fused: this.suggester?.fused ?? null,
      passes: this.passes,
      measure: async (runs, batch) => {
        const suggester = this.suggester;
        const faces = [...this.queue, ...this.history.map((d) => d.entry)].flatMap((e) => (e.pixels ? [e.pixels] : []));
        if (!suggester || faces.length === 0) throw new Error("no model or no decoded face to measure with");
        const input = Array.from({ length: batch }, (_, i) => faces[i % faces.length]);
        const out: number[] = [];
        for (let i = 0; i < runs; i++) out.push((await suggester.suggest(input)).msPerFace);
        return out;
      },
      cachedVersions: async () => (await import("@/lib/suggestions/model-cache")).listCachedModelVersions(),
    };
  }

  // ------------------------------------------------------------------ snapshot

  private emit(): void {
    this.current = null;
    for (const listener of this.listeners) listener();
  }

  private buildSnapshot(): SessionSnapshot {
    const head = this.queue[0];
    const feedback = this.feedback;
    return {
      phase: this.phase,
      feedback: feedback
        ? {
            seq: feedback.seq,
            kind: feedback.kind,
            imageId: feedback.imageId,
            label: feedback.label,
            saved: feedback.opId === null || !this.outbox.isWaiting(feedback.opId),
          }
        : null,
      current: head
        ? {
            item: head.item,
            imageSrc: head.imageSrc,
            imageError: head.imageError,
            suggestion:
              head.item.blind || head.suggestion?.modelVersionId !== this.model.ref?.id ? null : head.suggestion,
          }
        : null,
      buffered: Math.max(0, this.queue.length - 1),
      decidedCount: this.decidedCount,
      canUndo: this.history.length > 0,
      saving: this.outbox.status(),
      model: this.model,
      error: this.error,
      notice: this.notice,
    };
  }
}

/** Milestones of the page's first seconds (first occurrence only), for the suggestion benchmark. */
function mark(name: string): void {
  if (performance.getEntriesByName(name).length === 0) performance.mark(name);
}

function revoke(entry: Entry): void {
  if (entry.imageSrc?.startsWith("blob:")) URL.revokeObjectURL(entry.imageSrc);
  entry.imageSrc = null;
}

/** A v4 UUID; crypto.randomUUID exists only in secure contexts (https, localhost), getRandomValues everywhere. */
function randomId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function safeLocalStorage(): Storage | null {
  try {
    return localStorage;
  } catch {
    return null;
  }
}
