"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import type { ServingModelRef } from "@/lib/model-versions/serving-model-ref";
import type { SuggestionBackend } from "@/lib/suggestions/types";
import { CurrentLabels } from "./current-labels";
import { type DecisionActions, DecisionButtons } from "./decision-buttons";
import { DecisionFeedback } from "./decision-feedback";
import { FaceCard } from "./face-card";
import { Kbd } from "./kbd";
import { type QueueResponse, STRATEGIES, type Strategy } from "./label-api";
import { LabellingSession, type SessionSnapshot } from "./labelling-session";
import { pageKeyAction } from "./page-keys";
import { SaveStatus } from "./save-status";
import { ShortcutsOverlay } from "./shortcuts-overlay";
import { SuggestionPanel } from "./suggestion-panel";

export interface LabellingWorkspaceProps {
  userId: string;
  strategy: Strategy;
  initialServingModel: ServingModelRef | null;
  forceBackend: SuggestionBackend | null;
  /** Claimed while the server rendered the page, so the first face is in the HTML. */
  initialQueue: QueueResponse | null;
  /** Changes with every server render, so a new render's queue starts a new session. */
  renderId: string;
}

/** The labelling page: one session per user, strategy, forced backend and server render. */
export function LabellingWorkspace(props: LabellingWorkspaceProps) {
  const { userId, strategy, initialServingModel, forceBackend, initialQueue, renderId } = props;
  const [session, setSession] = useState<LabellingSession | null>(null);
  useEffect(() => {
    const created = new LabellingSession({ userId, strategy, initialServingModel, forceBackend, initialQueue });
    created.start();
    setSession(created);
    // Read by the suggestion benchmark and the browser tests.
    (window as unknown as { __faceloopLabelling?: unknown }).__faceloopLabelling = {
      stats: () => created.stats(),
      served: () => created.servedImageIds(),
    };
    return () => created.dispose();
    // initialServingModel and initialQueue belong to the render renderId names.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [userId, strategy, forceBackend, renderId]);

  return (
    <>
      <StrategyTabs strategy={strategy} session={session} />
      {session ? (
        <LiveWorkspace session={session} />
      ) : (
        <WorkspaceView snapshot={serverSnapshot(initialQueue, initialServingModel)} actions={null} />
      )}
    </>
  );
}

function LiveWorkspace({ session }: { session: LabellingSession }) {
  const snapshot = useSyncExternalStore(session.subscribe, session.snapshot, session.snapshot);
  return (
    <WorkspaceView
      snapshot={snapshot}
      actions={session}
      onRetry={() => session.retrySaving()}
      onDismiss={() => session.dismissFailed()}
    />
  );
}

function WorkspaceView({
  snapshot,
  actions: session,
  onRetry,
  onDismiss,
}: {
  snapshot: SessionSnapshot;
  /** Null while server-rendered (nothing can act before the page hydrates). */
  actions: Pick<LabellingSession, "decide" | "accept" | "skip" | "undo"> | null;
  onRetry?: () => void;
  onDismiss?: () => void;
}) {
  const [help, setHelp] = useState(false);
  const actions: DecisionActions = useMemo(
    () => ({
      decide: (label) => session?.decide(label),
      accept: () => session?.accept(),
      skip: () => session?.skip(),
      undo: () => session?.undo(),
      toggleHelp: () => setHelp((shown) => !shown),
    }),
    [session],
  );
  useKeyboard(actions, help, () => setHelp(false), session !== null);
  useFirstSuggestionMark(snapshot);

  const { current, model } = snapshot;
  return (
    <div
      className="grid gap-4 lg:grid-cols-[24rem_minmax(0,1fr)] lg:gap-6"
      data-testid="labelling"
      data-phase={snapshot.phase}
      data-ready={session !== null}
    >
      <div className="min-w-0 space-y-2">
        {current ? <FaceCard card={current} onSwipe={actions.skip} /> : <EmptyCard snapshot={snapshot} />}
        <DecisionFeedback feedback={snapshot.feedback} />
        <DecisionButtons
          actions={actions}
          suggestion={current?.suggestion ?? null}
          blind={current?.item.blind ?? false}
          canUndo={snapshot.canUndo}
          ready={session !== null && current !== null}
        />
        {snapshot.notice ? (
          <p role="alert" className="text-sm text-amber-700 dark:text-amber-400">
            {snapshot.notice}
          </p>
        ) : null}
      </div>
      <div className="min-w-0 space-y-4">
        {current ? <SuggestionPanel card={current} model={model} /> : null}
        {current?.item.labels && !current.item.blind ? <CurrentLabels labels={current.item.labels} /> : null}
        <div className="space-y-1 text-xs text-neutral-500">
          <SaveStatus saving={snapshot.saving} onRetry={onRetry ?? noop} onDismiss={onDismiss ?? noop} />
          <p>
            {snapshot.decidedCount} labelled this session · {snapshot.buffered} faces ready ahead
            <span className="pointer-coarse:hidden">
              {" "}
              · press <Kbd>?</Kbd> for the keys
            </span>
          </p>
          {snapshot.error ? <p className="text-red-600">{snapshot.error}</p> : null}
        </div>
      </div>
      {help ? <ShortcutsOverlay onClose={() => setHelp(false)} /> : null}
    </div>
  );
}

function noop() {}

/** What the server renders (and the browser shows until the page hydrates): the claimed queue's first face. */
function serverSnapshot(queue: QueueResponse | null, serving: ServingModelRef | null): SessionSnapshot {
  const head = queue?.items[0] ?? null;
  return {
    phase: head ? "labelling" : queue ? "empty" : "loading",
    current: head ? { item: head, imageSrc: head.imageUrl, imageError: null, suggestion: null } : null,
    feedback: null,
    buffered: Math.max(0, (queue?.items.length ?? 0) - 1),
    decidedCount: 0,
    canUndo: false,
    saving: { waiting: 0, retrying: 0, lastError: null, nextRetryInS: null, failed: [] },
    model: {
      state: serving ? "loading" : "none",
      ref: null,
      loadingRef: serving,
      backend: null,
      backendReason: null,
      loadedFrom: null,
      loadMs: null,
      lastMsPerFace: null,
      error: null,
    },
    error: null,
    notice: null,
  };
}

function EmptyCard({ snapshot }: { snapshot: SessionSnapshot }) {
  const text =
    snapshot.phase === "empty"
      ? "Nothing to label right now: every face is labelled enough, yours already, or held by someone else. Checking again shortly."
      : snapshot.phase === "error"
        ? (snapshot.error ?? "The queue did not load.")
        : "Loading faces …";
  return (
    <div className="flex aspect-square w-full max-w-96 items-center justify-center rounded-lg bg-neutral-100 p-6 text-center text-sm text-neutral-500 dark:bg-neutral-800">
      {text}
    </div>
  );
}

/**
 * The queues. Switching gives back the faces held for the current one first, so the new strategy's faces are
 * served at once (instead of the old buffer, which would come first as the caller's held items).
 */
function StrategyTabs({ strategy, session }: { strategy: Strategy; session: LabellingSession | null }) {
  const router = useRouter();
  const [switching, setSwitching] = useState<Strategy | null>(null);
  return (
    // On a phone the queues are one row that scrolls sideways: wrapped, they would push the label buttons off the
    // first screen.
    <nav
      aria-label="Queue"
      className="mb-3 flex flex-wrap gap-1 text-sm max-sm:flex-nowrap max-sm:overflow-x-auto"
      aria-busy={switching !== null}
    >
      {STRATEGIES.map((name) => (
        <Link
          key={name}
          href={`/label?strategy=${name}`}
          aria-current={name === strategy ? "page" : undefined}
          onClick={(event) => {
            if (name === strategy || !session || event.metaKey || event.ctrlKey || event.shiftKey) return;
            event.preventDefault();
            setSwitching(name);
            void session.releaseHeld().finally(() => router.push(`/label?strategy=${name}`));
          }}
          className={`inline-flex shrink-0 items-center whitespace-nowrap rounded px-2.5 py-1 pointer-coarse:min-h-11 pointer-coarse:px-3 ${name === strategy ? "bg-neutral-200 dark:bg-neutral-800" : "text-neutral-500 hover:bg-neutral-100 dark:hover:bg-neutral-900"} ${switching === name ? "animate-pulse" : ""}`}
        >
          {name}
        </Link>
      ))}
    </nav>
  );
}

/** The page's shortcuts (see page-keys.ts), attached once the page can act. */
function useKeyboard(actions: DecisionActions, helpShown: boolean, closeHelp: () => void, enabled: boolean) {
  const latest = useRef({ actions, helpShown, closeHelp });
  latest.current = { actions, helpShown, closeHelp };
  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent) => {
      const { actions: a, helpShown: shown, closeHelp: close } = latest.current;
      const action = pageKeyAction(event, shown);
      if (!action) return;
      // The page handles the key once (no scrolling on Space, no second reaction elsewhere).
      event.preventDefault();
      if (action.kind === "decide") a.decide(action.label);
      else if (action.kind === "accept") a.accept();
      else if (action.kind === "skip") a.skip();
      else if (action.kind === "undo") a.undo();
      else if (action.kind === "toggle-help") a.toggleHelp();
      else if (action.kind === "close-help") close();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [enabled]);
}

/** Marks when the first suggestion is on screen, for the suggestion benchmark (performance.mark). */
function useFirstSuggestionMark(snapshot: SessionSnapshot) {
  const marked = useRef(false);
  const shown = Boolean(snapshot.current?.suggestion);
  useEffect(() => {
    if (!shown || marked.current) return;
    marked.current = true;
    requestAnimationFrame(() => performance.mark("faceloop:first-suggestion"));
  }, [shown]);
}
