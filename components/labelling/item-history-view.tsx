import { FaceImage } from "@/components/face-image";
import type { ItemAnnotation, ItemHistory } from "@/lib/labelling-history/get-item-history";
import type { ServingModelRef } from "@/lib/model-versions/serving-model-ref";
import { BrowserPrediction } from "./browser-prediction";
import { VoteBars } from "./current-labels";
import { labelName, ProbabilityBars } from "./probability-bars";

export interface Viewer {
  id: string;
  /** Researchers and admins see who annotated; annotators see names only, and "you". */
  seesIdentities: boolean;
}

const panel = "rounded-lg border border-neutral-200 bg-white p-4 dark:border-neutral-800 dark:bg-neutral-950";

/** One face's whole history: sources, every label with who/when/how long/what was suggested, votes, predictions. */
export function ItemHistoryView({
  item,
  viewer,
  serving,
}: {
  item: ItemHistory;
  viewer: Viewer;
  serving: ServingModelRef | null;
}) {
  const servingPredicted = serving !== null && item.predictions.some((p) => p.modelVersionId === serving.id);
  return (
    <div className="grid gap-6 lg:grid-cols-[auto_1fr]">
      <div className="space-y-3">
        <FaceImage id={item.id} size={288} alt={`Face ${item.id}`} />
        <p className="text-xs text-neutral-500">
          split {item.split} · status {item.status.replace("_", " ")} · added {formatDate(item.createdAt)}
        </p>
      </div>
      <div className="space-y-4">
        <section className={panel} aria-label="Sources">
          <h2 className="mb-2 text-sm font-medium">Sources</h2>
          <ul className="space-y-1 text-sm">
            {item.sources.map((s) => (
              <li key={`${s.source}:${s.sourceRef}`}>
                {sourceName(s.source)} <span className="text-neutral-500">{s.sourceRef}</span> ({s.declaredSplit}):{" "}
                {s.originalLabel === null ? "no label" : labelName(s.originalLabel)}
              </li>
            ))}
          </ul>
        </section>

        <section className={`${panel} flex flex-wrap gap-8`} aria-label="Votes">
          {item.votes.map((v) => (
            <div key={v.source}>
              <h2 className="mb-2 text-sm font-medium">
                {sourceName(v.source)} votes{" "}
                <span className="font-normal text-neutral-500">
                  ({v.totalVotes} voters, {v.notFaceVotes} not a face)
                </span>
              </h2>
              <VoteBars counts={v.counts} label={`${sourceName(v.source)} votes`} />
            </div>
          ))}
          <div>
            <h2 className="mb-2 text-sm font-medium">
              People&apos;s labels{" "}
              <span className="font-normal text-neutral-500">({item.people.notFace} not a face)</span>
            </h2>
            <VoteBars counts={item.people.counts} label="People's labels" />
          </div>
        </section>

        <section className={panel} aria-label="Annotations">
          <h2 className="mb-2 text-sm font-medium">Every label ({item.annotations.length})</h2>
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="text-xs text-neutral-500">
                <tr>
                  <th className="py-1">When</th>
                  <th>Who</th>
                  <th>Label</th>
                  <th className="px-3 text-right">Time taken</th>
                  <th>Suggestion shown</th>
                </tr>
              </thead>
              <tbody>
                {item.annotations.map((a) => (
                  <tr key={a.id} className="border-t border-neutral-200 dark:border-neutral-800">
                    <td className="py-1 tabular-nums">{formatDate(a.createdAt)}</td>
                    <td>{who(a, viewer)}</td>
                    <td>{labelName(a.label)}</td>
                    <td className="px-3 text-right tabular-nums">
                      {a.durationMs === null ? "–" : `${(a.durationMs / 1000).toFixed(1)} s`}
                    </td>
                    <td>{suggestionText(a)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>

        <section className={panel} aria-label="Model predictions">
          <h2 className="mb-2 text-sm font-medium">Model predictions</h2>
          {item.predictions.length === 0 && !serving ? (
            <p className="text-sm text-neutral-500">No model has scored this face.</p>
          ) : null}
          <ul className="space-y-3">
            {item.predictions.map((p) => (
              <li key={p.modelVersionId}>
                <div className="mb-1 text-sm">
                  <span className="font-medium">{labelName(p.predictedLabel)}</span>{" "}
                  <span className="text-neutral-500">
                    {p.modelName} v{p.modelVersionId} ({p.version}){p.serving ? " · serving" : ""}
                  </span>
                </div>
                <ProbabilityBars probs={p.probs} />
              </li>
            ))}
            {serving && !servingPredicted && item.status === "active" ? (
              <li>
                <BrowserPrediction imageId={item.id} serving={serving} />
              </li>
            ) : null}
          </ul>
        </section>
      </div>
    </div>
  );
}

function sourceName(source: string): string {
  if (source === "fer2013") return "FER-2013";
  if (source === "ferplus") return "FER+";
  return source;
}

function who(a: ItemAnnotation, viewer: Viewer): string {
  if (!a.annotator) return `${sourceName(a.source)} (dataset)`;
  if (a.annotator.id === viewer.id) return "you";
  if (viewer.seesIdentities) return a.annotator.name ? `${a.annotator.name} <${a.annotator.email}>` : a.annotator.email;
  return a.annotator.name ?? "an annotator";
}

function suggestionText(a: ItemAnnotation): string {
  if (a.blind) return "none (blind item)";
  if (!a.suggestion) return a.annotator ? "none" : "–";
  const model = a.suggestion.modelName ? ` by ${a.suggestion.modelName} v${a.suggestion.modelVersionId}` : "";
  return `${labelName(a.suggestion.label)}${model}`;
}

function formatDate(date: Date): string {
  return date.toISOString().slice(0, 16).replace("T", " ");
}
