"use client";

import { useEffect, useState } from "react";
import { labelName } from "./probability-bars";
import type { DecisionFeedback as Feedback } from "./labelling-session";

const SHOWN_MS = 2500;

/**
 * What the last decision did, in words: shown for a moment, and announced by a polite live region that stays
 * mounted (a screen reader reads each new decision once).
 */
export function DecisionFeedback({ feedback }: { feedback: Feedback | null }) {
  const [visibleSeq, setVisibleSeq] = useState<number | null>(null);
  const seq = feedback?.seq ?? null;
  useEffect(() => {
    if (seq === null) return;
    setVisibleSeq(seq);
    const timer = setTimeout(() => setVisibleSeq(null), SHOWN_MS);
    return () => clearTimeout(timer);
  }, [seq]);
  const words = feedback ? describe(feedback) : "";
  const shown = feedback !== null && visibleSeq === feedback.seq;
  return (
    <div className="min-h-6 text-sm">
      <p role="status" aria-live="polite" aria-atomic="true" className="sr-only" data-testid="decision-announcement">
        {words}
      </p>
      <p
        aria-hidden="true"
        data-testid="decision-feedback"
        data-kind={feedback?.kind ?? ""}
        className={`transition-opacity duration-300 ${shown ? "opacity-100" : "opacity-0"}`}
      >
        {feedback ? (
          <>
            <span className="font-medium">{words}</span>{" "}
            {feedback.kind === "undo" ? null : (
              <span className="text-neutral-500">{feedback.saved ? "· saved" : "· saving …"}</span>
            )}
          </>
        ) : null}
      </p>
    </div>
  );
}

function describe(feedback: Feedback): string {
  const face = `face ${feedback.imageId}`;
  if (feedback.kind === "label") return `Saved “${labelName(feedback.label ?? -1)}” for ${face}`;
  if (feedback.kind === "skip") return `Skipped ${face}`;
  return feedback.label === null
    ? `Undone: skipped ${face} is back`
    : `Undone: ${face} is back, ${labelName(feedback.label)} taken back`;
}
