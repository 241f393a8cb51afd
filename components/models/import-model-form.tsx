"use client";

import Link from "next/link";
import { useState } from "react";

const field = "rounded border border-neutral-300 bg-transparent px-1 py-0.5 text-sm dark:border-neutral-700";

/** Uploads an outside tfjs model (model.json + weight files) with its class order. */
export function ImportModelForm() {
  const [result, setResult] = useState<{ ok: boolean; text: string; versionId?: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setResult(null);
    try {
      const response = await fetch("/api/models/import", { method: "POST", body: new FormData(event.currentTarget) });
      const body = (await response.json()) as { modelVersionId?: number; evaluationRunId?: number; error?: string };
      setResult(
        response.ok
          ? {
              ok: true,
              text: `Stored as version ${body.modelVersionId}; run #${body.evaluationRunId} evaluates it on the frozen test split.`,
              versionId: body.modelVersionId,
            }
          : { ok: false, text: body.error ?? `HTTP ${response.status}` },
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} className="max-w-xl space-y-3 text-sm" aria-label="import a model">
      <label className="flex flex-col">
        Files: model.json and its weight files
        <input type="file" name="files" multiple required accept=".json,.bin" />
      </label>
      <label className="flex flex-col">
        Name (lowercase letters, digits, dashes)
        <input name="name" required pattern="[a-z0-9][a-z0-9\-]{0,39}" className={field} />
      </label>
      <label className="flex flex-col">
        Class order of its 7 outputs
        <input name="classOrder" required list="class-orders" defaultValue="fer2013" className={field} />
        <datalist id="class-orders">
          <option value="fer2013">angry, disgust, fear, happy, sad, surprise, neutral</option>
          <option value="alphabetical">angry, disgust, fear, happy, neutral, sad, surprise</option>
        </datalist>
        <span className="text-xs text-neutral-500">fer2013, alphabetical, or the seven names in output order, comma-separated</span>
      </label>
      <label className="flex flex-col">
        Input pixels scaled to
        <select name="inputScale" className={field} defaultValue="unit">
          <option value="unit">[0, 1] (as faceloop&apos;s models)</option>
          <option value="byte">[0, 255]</option>
          <option value="signed">[-1, 1]</option>
        </select>
      </label>
      <button type="submit" disabled={busy} className="rounded bg-sky-600 px-3 py-1 text-white disabled:opacity-50">
        Import
      </button>
      {result ? (
        <p role="status" className={result.ok ? "text-green-700" : "text-red-600"}>
          {result.text}{" "}
          {result.versionId ? (
            <Link href={`/models/${result.versionId}`} className="underline">
              Open it
            </Link>
          ) : null}
        </p>
      ) : null}
    </form>
  );
}
