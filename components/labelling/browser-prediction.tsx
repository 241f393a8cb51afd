"use client";

import { useEffect, useState } from "react";
import type { ServingModelRef } from "@/lib/model-versions/serving-model-ref";
import { labelName, ProbabilityBars } from "./probability-bars";

type State =
  { status: "loading" } | { status: "done"; probs: number[]; backend: string } | { status: "error"; message: string };

/** The serving version's opinion of a face it has not stored a prediction for, computed here in the browser. */
export function BrowserPrediction({ imageId, serving }: { imageId: number; serving: ServingModelRef }) {
  const [state, setState] = useState<State>({ status: "loading" });
  useEffect(() => {
    let cancelled = false;
    (async () => {
      const [{ openSuggester }, { decodeFaceInput }] = await Promise.all([
        import("@/lib/suggestions/open-suggester"),
        import("@/lib/suggestions/face-input"),
      ]);
      const response = await fetch(`/api/images/${imageId}`);
      if (!response.ok) throw new Error(`image: ${response.status}`);
      const [face, suggester] = await Promise.all([
        decodeFaceInput(await response.blob()),
        openSuggester(serving, { memory: localStorage }),
      ]);
      try {
        const { suggestions } = await suggester.suggest([face], 7);
        const probs = new Array<number>(7).fill(0);
        for (const { label, probability } of suggestions[0].top) probs[label] = probability;
        if (!cancelled) setState({ status: "done", probs, backend: suggester.backend });
      } finally {
        suggester.dispose();
      }
    })().catch((error: unknown) => {
      if (!cancelled) setState({ status: "error", message: error instanceof Error ? error.message : String(error) });
    });
    return () => {
      cancelled = true;
    };
  }, [imageId, serving]);

  const title = `${serving.modelName} v${serving.id} · serving · computed in this browser`;
  if (state.status === "loading") return <p className="text-sm text-neutral-500">{title}: computing …</p>;
  if (state.status === "error")
    return (
      <p className="text-sm text-red-600">
        {title}: {state.message}
      </p>
    );
  return (
    <div data-testid="browser-prediction">
      <div className="mb-1 text-sm">
        <span className="font-medium">{labelName(state.probs.indexOf(Math.max(...state.probs)))}</span>{" "}
        <span className="text-neutral-500">
          {title} ({state.backend})
        </span>
      </div>
      <ProbabilityBars probs={state.probs} />
    </div>
  );
}
