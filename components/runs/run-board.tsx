"use client";

import Link from "next/link";
import { useCallback, useEffect, useState } from "react";
import { describeProgress, type RunJson } from "./run-json";
import { RunCurves } from "./run-curves";

const POLL_MS = 2000;

/** Queued, running and finished runs, refreshed every two seconds without a reload; cancel, retry, and each run's log. */
export function RunBoard({ initialRuns }: { initialRuns: RunJson[] }) {
  const [runs, setRuns] = useState(initialRuns);
  const [error, setError] = useState<string | null>(null);
  // Which rows show their details, kept here: a row moves to another section (so it remounts) when its run finishes,
  // and a run someone watched while it ran should stay open with its final curves.
  const [open, setOpen] = useState<ReadonlySet<number>>(() => new Set(initialRuns.filter((r) => r.status === "running").map((r) => r.id)));
  const toggle = (id: number, show: boolean) =>
    setOpen((current) => {
      const next = new Set(current);
      if (show) next.add(id);
      else next.delete(id);
      return next;
    });
  const refresh = useCallback(async () => {
    const response = await fetch("/api/runs", { cache: "no-store" });
    if (!response.ok) return;
    const next = ((await response.json()) as { runs: RunJson[] }).runs;
    setRuns((previous) => {
      // A run that starts running while the page is open opens its details, so its curves and log can be watched.
      const started = next.filter((r) => r.status === "running" && previous.find((p) => p.id === r.id)?.status !== "running");
      if (started.length > 0) setOpen((current) => new Set([...current, ...started.map((r) => r.id)]));
      return next;
    });
  }, []);
  useEffect(() => {
    const timer = setInterval(() => void refresh().catch(() => {}), POLL_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  const act = async (runId: number, action: "cancel" | "retry") => {
    setError(null);
    const response = await fetch(`/api/runs/${runId}/${action}`, { method: "POST" });
    if (!response.ok) setError(((await response.json()) as { error: string }).error);
    await refresh();
  };

  const groups: [string, RunJson[]][] = [
    ["Running", runs.filter((r) => r.status === "running")],
    ["Queued", runs.filter((r) => r.status === "queued")],
    ["Finished", runs.filter((r) => r.status !== "running" && r.status !== "queued")],
  ];
  return (
    <div className="space-y-6" data-testid="run-board">
      {error ? <p className="text-sm text-red-600" role="alert">{error}</p> : null}
      {groups.map(([title, list]) => (
        <section key={title}>
          <h2 className="mb-2 text-sm font-semibold">
            {title} ({list.length})
          </h2>
          {list.length === 0 ? (
            <p className="text-xs text-neutral-500">none</p>
          ) : (
            <ul className="space-y-2">
              {list.map((run) => (
                <RunRow key={run.id} run={run} onAction={act} open={open.has(run.id)} onToggle={(show) => toggle(run.id, show)} />
              ))}
            </ul>
          )}
        </section>
      ))}
    </div>
  );
}

function RunRow({
  run,
  onAction,
  open,
  onToggle,
}: {
  run: RunJson;
  onAction: (id: number, action: "cancel" | "retry") => void;
  open: boolean;
  onToggle: (show: boolean) => void;
}) {
  return (
    <li className="rounded border border-neutral-200 p-2 dark:border-neutral-800" data-testid={`run-${run.id}`} data-status={run.status}>
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <span className="font-semibold">#{run.id}</span>
        <span>{run.modelName}</span>
        <span data-testid="run-status" className="rounded bg-neutral-100 px-1 text-xs dark:bg-neutral-800">
          {run.status}
        </span>
        <span className="text-xs text-neutral-500">{run.trigger}</span>
        <span className="text-xs tabular-nums" data-testid="run-progress">
          {describeProgress(run)}
        </span>
        {run.modelVersionId !== null ? (
          <Link className="text-xs text-sky-600 underline" href={`/models/${run.modelVersionId}`}>
            version {run.modelVersionId}
          </Link>
        ) : null}
        <span className="ml-auto flex gap-2">
          {run.status === "queued" || run.status === "running" ? (
            <button type="button" className="rounded border px-2 text-xs" onClick={() => onAction(run.id, "cancel")}>
              Cancel
            </button>
          ) : null}
          {run.status === "failed" || run.status === "cancelled" ? (
            <button type="button" className="rounded border px-2 text-xs" onClick={() => onAction(run.id, "retry")}>
              Retry
            </button>
          ) : null}
          <button type="button" className="rounded border px-2 text-xs" onClick={() => onToggle(!open)} aria-expanded={open}>
            {open ? "Hide details" : "Details"}
          </button>
        </span>
      </div>
      {open ? (
        <div className="mt-2 space-y-2">
          <RunCurves points={run.curves} />
          <RunLog runId={run.id} live={run.status === "running" || run.status === "queued"} />
        </div>
      ) : null}
    </li>
  );
}

function RunLog({ runId, live }: { runId: number; live: boolean }) {
  const [log, setLog] = useState<string | null>(null);
  useEffect(() => {
    let stopped = false;
    const load = async () => {
      const response = await fetch(`/api/runs/${runId}`, { cache: "no-store" });
      if (response.ok && !stopped) setLog(((await response.json()) as { run: { log: string } }).run.log);
    };
    void load().catch(() => {});
    const timer = live ? setInterval(() => void load().catch(() => {}), POLL_MS) : undefined;
    return () => {
      stopped = true;
      if (timer) clearInterval(timer);
    };
  }, [runId, live]);
  return (
    <pre
      data-testid="run-log"
      className="max-h-48 overflow-auto rounded bg-neutral-950 p-2 text-[11px] leading-tight text-neutral-100"
    >
      {log === null ? "loading the log…" : log || "(no log lines yet)"}
    </pre>
  );
}
