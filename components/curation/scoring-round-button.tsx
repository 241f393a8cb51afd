"use client";

import { useState } from "react";

/** Queues a scoring round (5-fold compact, 60 minutes of training); the trainer runs it, /runs shows its progress. */
export function ScoringRoundButton() {
  const [status, setStatus] = useState("");
  async function start() {
    setStatus("queueing …");
    const response = await fetch("/api/curation/scoring-rounds", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ folds: 5, timeBudgetMinutes: 60 }),
    });
    const body = (await response.json().catch(() => ({}))) as { runId?: number; error?: string };
    setStatus(response.ok ? `queued as run ${body.runId}; follow it on /runs` : (body.error ?? `failed (${response.status})`));
  }
  return (
    <div className="text-sm">
      <button type="button" onClick={start} className="rounded border px-3 py-1">
        Start a scoring round
      </button>
      <span role="status" className="ml-2 text-neutral-500">
        {status}
      </span>
    </div>
  );
}
