import { EMOTION_LABELS, EMOTIONS } from "@/lib/emotions";

export interface KeyActions {
  decide(label: number): void;
  accept(): void;
  skip(): void;
  undo(): void;
  toggleHelp(): void;
}

/** The labels with their keys, clickable as well: 1-7 the emotions in canonical order, 0 not a face. */
export function KeyLegend({
  actions,
  canAccept,
  canUndo,
}: {
  actions: KeyActions;
  canAccept: boolean;
  canUndo: boolean;
}) {
  const button =
    "flex items-center gap-2 rounded border border-neutral-200 bg-white px-2.5 py-1.5 text-sm hover:border-neutral-400 disabled:opacity-40 dark:border-neutral-700 dark:bg-neutral-950";
  return (
    <div className="space-y-2">
      <div className="grid grid-cols-4 gap-2" role="group" aria-label="Labels">
        {EMOTIONS.map((emotion, i) => (
          <button key={emotion} type="button" className={button} onClick={() => actions.decide(i)}>
            <Kbd>{i + 1}</Kbd> {EMOTION_LABELS[emotion]}
          </button>
        ))}
        <button type="button" className={button} onClick={() => actions.decide(-1)}>
          <Kbd>0</Kbd> Not a face
        </button>
      </div>
      <div className="flex flex-wrap gap-2" role="group" aria-label="Actions">
        <button type="button" className={button} onClick={actions.accept} disabled={!canAccept}>
          <Kbd>Enter</Kbd> Accept suggestion
        </button>
        <button type="button" className={button} onClick={actions.skip}>
          <Kbd>Space</Kbd> Skip
        </button>
        <button type="button" className={button} onClick={actions.undo} disabled={!canUndo}>
          <Kbd>Z</Kbd> Undo
        </button>
        <button type="button" className={button} onClick={actions.toggleHelp}>
          <Kbd>?</Kbd> Keys
        </button>
      </div>
    </div>
  );
}

export function Kbd({ children }: { children: React.ReactNode }) {
  return (
    <kbd className="min-w-6 rounded border border-neutral-300 bg-neutral-100 px-1.5 text-center font-mono text-xs dark:border-neutral-600 dark:bg-neutral-800">
      {children}
    </kbd>
  );
}
