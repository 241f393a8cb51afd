import { readFileSync } from "node:fs";

/**
 * The share of CPU time the hypervisor gave to other guests (steal) while `run` ran, from /proc/stat: on a shared
 * host the same benchmark runs up to 2x slower when neighbours are busy, and this says when a figure was taken so.
 * Null where /proc/stat is not there (not Linux).
 */
export function withStealShare<T>(run: () => T): { result: T; steal: number | null } {
  const before = cpuTimes();
  const result = run();
  const after = cpuTimes();
  if (before == null || after == null) return { result, steal: null };
  const total = after.total - before.total;
  return { result, steal: total > 0 ? (after.steal - before.steal) / total : null };
}

function cpuTimes(): { total: number; steal: number } | null {
  try {
    // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest time is counted in user already)
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1, 9).map(Number);
    return { total: fields.reduce((a, b) => a + b, 0), steal: fields[7] ?? 0 };
  } catch {
    return null;
  }
}
