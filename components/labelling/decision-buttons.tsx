import type { MouseEvent } from "react";
import { EMOTION_LABELS, EMOTIONS } from "@/lib/emotions";
import type { Suggestion } from "@/lib/suggestions/types";
import { Kbd } from "./kbd";

export interface DecisionActions {
  decide(label: number): void;
  accept(): void;
  skip(): void;
  undo(): void;
  toggleHelp(): void;
}

const BUTTON =
  "flex min-h-11 min-w-0 flex-wrap items-center justify-center gap-x-1.5 gap-y-0.5 rounded-md border border-neutral-300 bg-white px-1 py-1.5 text-sm leading-tight hover:border-neutral-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 disabled:opacity-40 dark:border-neutral-700 dark:bg-neutral-950";

/**
 * The labels with their keys (1-7 the emotions in canonical order, 0 not a face) as a grid of large buttons, and the
 * other decisions. The button of the suggestion's top class is marked.
 */
export function DecisionButtons({
  actions,
  suggestion,
  blind,
  canUndo,
  ready,
}: {
  actions: DecisionActions;
  suggestion: Suggestion | null;
  blind: boolean;
  canUndo: boolean;
  /** False until the page can act (server-rendered, not yet hydrated, or no face). */
  ready: boolean;
}) {
  const top = suggestion?.top[0] ?? null;
  const labels = [
    ...EMOTIONS.map((emotion, i) => ({ label: i, name: EMOTION_LABELS[emotion] })),
    { label: -1, name: "Not a face" },
  ];
  return (
    <div className="space-y-2">
      <div className="grid grid-cols-4 gap-1.5" role="group" aria-label="Labels">
        {labels.map(({ label, name }) => (
          <button
            key={label}
            type="button"
            data-label={label}
            data-suggested={top?.label === label ? "true" : undefined}
            className={`${BUTTON} ${top?.label === label ? "border-emerald-600 ring-1 ring-emerald-600 dark:border-emerald-500" : ""}`}
            onClick={(event) => press(event, () => actions.decide(label))}
          >
            <Kbd>{label < 0 ? 0 : label + 1}</Kbd> <span data-testid="label-name">{name}</span>
          </button>
        ))}
      </div>
      <div className="flex flex-wrap gap-1.5" role="group" aria-label="Actions">
        <button
          type="button"
          className={`${BUTTON} min-w-[11rem] flex-1`}
          onClick={(event) => press(event, actions.accept)}
          disabled={!top || !ready}
        >
          <Kbd>Enter</Kbd>{" "}
          <span>
            {top
              ? `Accept ${EMOTION_LABELS[EMOTIONS[top.label]]} (${Math.round(top.probability * 100)}%)`
              : blind
                ? "Blind item: your own choice"
                : "Accept suggestion"}
          </span>
        </button>
        <button type="button" className={`${BUTTON} px-3`} onClick={(event) => press(event, actions.skip)}>
          <Kbd>Space</Kbd> <span>Skip</span>
        </button>
        <button
          type="button"
          className={`${BUTTON} px-3`}
          onClick={(event) => press(event, actions.undo)}
          disabled={!canUndo}
        >
          <Kbd>Z</Kbd> <span>Undo</span>
        </button>
        <button
          type="button"
          className={`${BUTTON} px-3 pointer-coarse:hidden`}
          onClick={(event) => press(event, actions.toggleHelp)}
        >
          <Kbd>?</Kbd> <span>Keys</span>
        </button>
      </div>
    </div>
  );
}

/** A pointer press leaves no focus behind (so Enter afterwards accepts again); a keyboard press keeps it. */
function press(event: MouseEvent<HTMLButtonElement>, act: () => void) {
  if (event.detail > 0) event.currentTarget.blur();
  act();
}
