import type { RunListItem } from "@/lib/runs/list-runs";

/** A run as it crosses to the browser (dates as ISO strings). */
export type RunJson = Omit<RunListItem, "createdAt" | "startedAt" | "finishedAt"> & {
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
};

export function toRunJson(run: RunListItem): RunJson {
  return JSON.parse(JSON.stringify(run)) as RunJson;
}

/** The progress line: epoch, batch, images/s, time left, backend. */
export function describeProgress(run: RunJson): string {
  const p = run.progress;
  if (run.status === "failed") return run.error ?? "failed";
  if (!p || run.status !== "running") return "";
  const parts: string[] = [];
  if (p.phase === "training" && p.epoch !== undefined) {
    parts.push(`epoch ${p.epoch}${p.epochs !== undefined ? `/${p.epochs}` : ""}`);
    if (p.batch !== undefined && p.batches) parts.push(`batch ${p.batch}/${p.batches}`);
    if (p.imagesPerSecond !== undefined) parts.push(`${p.imagesPerSecond.toFixed(0)} images/s`);
    const left = p.etaSeconds ?? p.secondsLeft;
    if (left !== undefined) parts.push(`ETA ${formatSeconds(left)}`);
  } else if (p.phase === "scoring" && p.batches) {
    parts.push(`scoring ${p.batch}/${p.batches} images`);
  } else {
    parts.push(p.message ?? p.phase);
  }
  if (p.backend) parts.push(p.backend);
  return parts.join(" · ");
}

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}
