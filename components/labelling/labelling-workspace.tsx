"use client";

import Link from "next/link";
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import type { ServingModelRef } from "@/lib/model-versions/serving-model-ref";
import type { SuggestionBackend } from "@/lib/suggestions/types";
import { CurrentLabels } from "./current-labels";
import { FaceCard } from "./face-card";
import { type KeyActions, KeyLegend } from "./key-legend";
import { STRATEGIES, type Strategy } from "./label-api";
import { LabellingSession, type SessionSnapshot } from "./labelling-session";
import { SaveStatus } from "./save-status";
import { ShortcutsOverlay } from "./shortcuts-overlay";
import { SuggestionPanel } from "./suggestion-panel";

export interface LabellingWorkspaceProps {
  userId: string;
  strategy: Strategy;
  initialServingModel: ServingModelRef | null;
  forceBackend: SuggestionBackend | null;
}

/** The keyboard-first labelling page: one session per user, strategy and forced backend. */
export function LabellingWorkspace(props: LabellingWorkspaceProps) {
  const { userId, strategy, initialServingModel, forceBackend } = props;
  const [session, setSession] = useState<LabellingSession | null>(null);
  useEffect(() => {
    const created = new LabellingSession({ userId, strategy, initialServingModel, forceBackend });
    created.start();
    setSession(created);
    // Read by the suggestion benchmark and the browser tests.
    (window as unknown as { __faceloopLabelling?: unknown }).__faceloopLabelling = { stats: () => created.stats() };
    return () => created.dispose();
    // initialServingModel only seeds the first load (later versions come from polling): not a dependency.
  }, [userId, strategy, forceBackend]);

  return (
    <>
      <StrategyTabs strategy={strategy} />
      {session ? <Workspace session={session} /> : <p className="text-sm text-neutral-500">Loading …</p>}
    </>
  );
}

function Workspace({ session }: { session: LabellingSession }) {
  const snapshot = useSyncExternalStore(session.subscribe, session.snapshot, session.snapshot);
  const [help, setHelp] = useState(false);
  const actions: KeyActions = useMemo(
    () => ({
      decide: (label) => session.decide(label),
      accept: () => session.accept(),
      skip: () => session.skip(),
      undo: () => session.undo(),
      toggleHelp: () => setHelp((shown) => !shown),
    }),
    [session],
  );
  useKeyboard(actions, help, () => setHelp(false));
  useFirstSuggestionMark(snapshot);

  const { current, model } = snapshot;
  return (
    <div className="grid gap-6 lg:grid-cols-[auto_1fr]" data-testid="labelling" data-phase={snapshot.phase}>
      <div className="space-y-4">
        {current ? <FaceCard card={current} /> : <EmptyCard snapshot={snapshot} />}
        <KeyLegend actions={actions} canAccept={Boolean(current?.suggestion)} canUndo={snapshot.canUndo} />
      </div>
      <div className="space-y-4">
        {current ? <SuggestionPanel card={current} model={model} /> : null}
        {current?.item.labels ? <CurrentLabels labels={current.item.labels} /> : null}
        <div className="space-y-1 text-xs text-neutral-500">
          <SaveStatus
            saving={snapshot.saving}
            onRetry={() => session.retrySaving()}
            onDismiss={() => session.dismissFailed()}
          />
          <p>
            {snapshot.decidedCount} labelled this session · {snapshot.buffered} faces ready ahead · press <kbd>?</kbd>{" "}
            for the keys
          </p>
          {snapshot.notice ? (
            <p role="alert" className="text-amber-700 dark:text-amber-400">
              {snapshot.notice}
            </p>
          ) : null}
          {snapshot.error ? <p className="text-red-600">{snapshot.error}</p> : null}
        </div>
      </div>
      {help ? <ShortcutsOverlay onClose={() => setHelp(false)} /> : null}
    </div>
  );
}

function EmptyCard({ snapshot }: { snapshot: SessionSnapshot }) {
  const text =
    snapshot.phase === "empty"
      ? "Nothing to label right now: every face is labelled enough, yours already, or held by someone else. Checking again shortly."
      : snapshot.phase === "error"
        ? (snapshot.error ?? "The queue did not load.")
        : "Loading faces …";
  return (
    <div className="flex h-96 w-96 items-center justify-center rounded-lg bg-neutral-100 p-6 text-center text-sm text-neutral-500 dark:bg-neutral-800">
      {text}
    </div>
  );
}

function StrategyTabs({ strategy }: { strategy: Strategy }) {
  return (
    <nav aria-label="Queue" className="mb-4 flex gap-1 text-sm">
      {STRATEGIES.map((name) => (
        <Link
          key={name}
          href={`/label?strategy=${name}`}
          aria-current={name === strategy ? "page" : undefined}
          className={`rounded px-2.5 py-1 ${name === strategy ? "bg-neutral-200 dark:bg-neutral-800" : "text-neutral-500 hover:bg-neutral-100 dark:hover:bg-neutral-900"}`}
        >
          {name}
        </Link>
      ))}
    </nav>
  );
}

/** 1-7 emotions, 0 not a face, Enter accept, Space skip, Z undo, ? keys; ignored while typing or with modifiers. */
function useKeyboard(actions: KeyActions, helpShown: boolean, closeHelp: () => void) {
  const latest = useRef({ actions, helpShown, closeHelp });
  latest.current = { actions, helpShown, closeHelp };
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
      const target = event.target as HTMLElement | null;
      if (target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))) return;
      const { actions: a, helpShown: shown, closeHelp: close } = latest.current;
      const key = event.key;
      let handled = true;
      if (key === "?") a.toggleHelp();
      else if (key === "Escape" && shown) close();
      else if (shown) handled = false;
      else if (key >= "1" && key <= "7") a.decide(Number(key) - 1);
      else if (key === "0") a.decide(-1);
      else if (key === "Enter") a.accept();
      else if (key === " ") a.skip();
      else if (key === "z" || key === "Z") a.undo();
      else handled = false;
      // Buttons would also react to Enter/Space when focused: the page handles the key once.
      if (handled) event.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
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
