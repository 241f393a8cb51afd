import type { RankedClass } from "./types";

/**
 * The k most probable classes of a probability row (canonical order in, labels out), most probable first; equal
 * probabilities keep canonical order, so the same output always ranks the same way.
 */
export function topK(probabilities: ArrayLike<number>, k: number): RankedClass[] {
  const ranked: RankedClass[] = Array.from({ length: probabilities.length }, (_, label) => ({
    label,
    probability: probabilities[label],
  }));
  ranked.sort((a, b) => b.probability - a.probability || a.label - b.label);
  return ranked.slice(0, Math.max(0, k));
}
