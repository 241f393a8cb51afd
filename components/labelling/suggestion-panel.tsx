import { EMOTION_LABELS, EMOTIONS } from "@/lib/emotions";
import type { CardView, ModelStatus } from "./labelling-session";

/** The serving model's top 3 for the face, with probabilities and the backend that computed them. */
export function SuggestionPanel({ card, model }: { card: CardView; model: ModelStatus }) {
  return (
    <section
      aria-label="Model suggestion"
      data-testid="suggestion"
      data-backend={model.backend ?? ""}
      data-model-version={card.suggestion?.modelVersionId ?? ""}
      data-serving-version={model.ref?.id ?? ""}
      className="rounded-lg border border-neutral-200 bg-white p-4 dark:border-neutral-800 dark:bg-neutral-950"
    >
      <h2 className="mb-2 text-sm font-medium">Suggestion</h2>
      <Body card={card} model={model} />
      <ModelLine model={model} />
    </section>
  );
}

function Body({ card, model }: { card: CardView; model: ModelStatus }) {
  if (card.item.blind) {
    return <p className="text-sm">Blind item: no suggestion is shown here, to measure unprompted choices.</p>;
  }
  if (model.state === "none") return <p className="text-sm text-neutral-500">No model version is serving yet.</p>;
  if (model.state === "error") return <p className="text-sm text-red-600">The model did not load: {model.error}</p>;
  if (!card.suggestion) return <p className="text-sm text-neutral-500">Computing …</p>;
  return (
    <ol className="space-y-1.5" data-testid="suggestion-top">
      {card.suggestion.top.map(({ label, probability }, rank) => (
        <li key={label} className="grid grid-cols-[5.5rem_1fr_3rem] items-center gap-2 text-sm">
          <span className={rank === 0 ? "font-medium" : ""}>{EMOTION_LABELS[EMOTIONS[label]]}</span>
          <span className="h-2.5 rounded bg-neutral-100 dark:bg-neutral-800">
            <span className="block h-2.5 rounded bg-emerald-500" style={{ width: `${probability * 100}%` }} />
          </span>
          <span className="text-right tabular-nums">{(probability * 100).toFixed(0)}%</span>
        </li>
      ))}
    </ol>
  );
}

function ModelLine({ model }: { model: ModelStatus }) {
  if (!model.ref && !model.loadingRef) return null;
  return (
    <p className="mt-3 text-xs text-neutral-500">
      {model.ref ? (
        <>
          {model.ref.modelName} v{model.ref.id} · backend{" "}
          <span
            data-testid="suggestion-backend"
            title={model.backendReason ?? undefined}
            className="font-mono text-neutral-700 dark:text-neutral-300"
          >
            {model.backend}
          </span>
          {model.lastMsPerFace !== null ? ` · ${model.lastMsPerFace.toFixed(1)} ms/face` : ""}
        </>
      ) : null}
      {model.loadingRef ? <span className="block">Loading model v{model.loadingRef.id} …</span> : null}
      {model.error && model.state === "ready" ? <span className="block text-red-600">{model.error}</span> : null}
    </p>
  );
}
