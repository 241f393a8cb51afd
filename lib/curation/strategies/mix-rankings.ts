import type { RankedFace } from "./sampling-strategy";

/**
 * Interleaves several rankings by weight (smooth weighted round-robin: with weights 2 and 1, two of the first
 * ranking for each of the second), each face once. Rankings that run dry leave their share to the others.
 */
export function mixRankings(parts: readonly { ranking: readonly RankedFace[]; weight: number }[]): RankedFace[] {
  const active = parts.filter((p) => p.weight > 0 && p.ranking.length > 0).map((p) => ({ ...p, head: 0, credit: 0 }));
  const seen = new Set<number>();
  const out: RankedFace[] = [];
  while (active.length > 0) {
    const total = active.reduce((a, p) => a + p.weight, 0);
    for (const p of active) p.credit += p.weight;
    let chosen = active[0];
    for (const p of active) if (p.credit > chosen.credit) chosen = p;
    chosen.credit -= total;
    while (chosen.head < chosen.ranking.length && seen.has(chosen.ranking[chosen.head].imageId)) chosen.head++;
    if (chosen.head < chosen.ranking.length) {
      const face = chosen.ranking[chosen.head++];
      seen.add(face.imageId);
      out.push(face);
    }
    if (chosen.head >= chosen.ranking.length) active.splice(active.indexOf(chosen), 1);
  }
  return out.map((r, i) => ({ imageId: r.imageId, score: out.length - i }));
}
