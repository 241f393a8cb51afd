import type { RankedFace, SamplingStrategy } from "./sampling-strategy";

/**
 * k-center greedy (Sener & Savarese, 2018): starting from `first`, repeatedly pick the point farthest (Euclidean)
 * from everything picked so far. Returns indices in pick order. O(n k) distance computations.
 */
export function kCenterGreedy(points: readonly ArrayLike<number>[], k: number, first = 0): number[] {
  const n = points.length;
  if (n === 0 || k <= 0) return [];
  const nearest = new Float64Array(n).fill(Infinity);
  const picked: number[] = [];
  let next = first;
  while (picked.length < Math.min(k, n)) {
    picked.push(next);
    nearest[next] = -1;
    let farthest = -1;
    let farthestDistance = -1;
    for (let i = 0; i < n; i++) {
      if (nearest[i] < 0) continue;
      nearest[i] = Math.min(nearest[i], squaredDistance(points[i], points[next]));
      if (nearest[i] > farthestDistance) {
        farthestDistance = nearest[i];
        farthest = i;
      }
    }
    if (farthest < 0) break;
    next = farthest;
  }
  return picked;
}

function squaredDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += (a[i] - b[i]) ** 2;
  return d;
}

/**
 * Diverse: the base strategy's best `window` faces reordered by k-center greedy over their embeddings (starting from
 * the best one), window after window, so one annotator does not see near-duplicates in a row. Faces without an
 * embedding keep their place after the diversified ones of their window.
 */
export function diverse(base: SamplingStrategy, window = 64): SamplingStrategy {
  return {
    name: `${base.name}-diverse`,
    description: `${base.description}, without near-duplicates in a row`,
    evidence: base.evidence,
    rank(faces, options) {
      const embeddings = new Map(faces.map((f) => [f.imageId, f.embedding ?? null]));
      const ranked = base.rank(faces, options);
      const out: RankedFace[] = [];
      for (let start = 0; start < ranked.length; start += window) {
        const chunk = ranked.slice(start, start + window);
        const withEmbedding = chunk.filter((r) => embeddings.get(r.imageId));
        const order = kCenterGreedy(withEmbedding.map((r) => embeddings.get(r.imageId)!), withEmbedding.length);
        out.push(...order.map((i) => withEmbedding[i]), ...chunk.filter((r) => !embeddings.get(r.imageId)));
      }
      return out.map((r, i) => ({ imageId: r.imageId, score: out.length - i }));
    },
  };
}
