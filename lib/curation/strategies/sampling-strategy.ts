/**
 * One interface for every active-learning strategy: given what is known about a set of faces, rank them, most worth a
 * person's time first. Strategies are pure (no database); the queue (lib/labelling) stores their rankings and walks
 * them. Each declares which evidence it reads, so a model-only ranking can be measured against the crowd.
 */
export interface FaceEvidence {
  imageId: number;
  /** Out-of-sample class probabilities from a scoring round (canonical order), or null when not scored. */
  probs: ArrayLike<number> | null;
  /** The round's embedding of the face (for diversity), or null. */
  embedding?: ArrayLike<number> | null;
  /** The dataset's own label (FER-2013), canonical, or null when unknown. */
  given: number | null;
  /** People's labels (canonical; not-a-face excluded). */
  people: readonly number[];
  /** FER+ crowd votes per canonical class, or null. */
  votes: readonly number[] | null;
}

/** What a strategy reads: "model" never looks at people or the crowd, "crowd" never at the model. */
export type EvidenceKind = "model" | "crowd" | "model+crowd" | "none";

export interface RankedFace {
  imageId: number;
  /** Higher is more worth reviewing; comparable only within one ranking. */
  score: number;
}

export interface RankOptions {
  /** Seed for strategies that draw at random. */
  seed?: number;
}

export interface SamplingStrategy {
  readonly name: string;
  readonly description: string;
  readonly evidence: EvidenceKind;
  /** Faces it has an opinion about, best first (ties by image id); faces it cannot rank are left out. */
  rank(faces: readonly FaceEvidence[], options?: RankOptions): RankedFace[];
}

/** Sorts by score (highest first), ties by image id, so rankings are deterministic. */
export function sortRanked(ranked: RankedFace[]): RankedFace[] {
  return ranked.sort((a, b) => b.score - a.score || a.imageId - b.imageId);
}

/** A strategy that scores each face on its own (no set-wide statistics). */
export function perFaceStrategy(
  meta: Pick<SamplingStrategy, "name" | "description" | "evidence">,
  score: (face: FaceEvidence) => number | null,
): SamplingStrategy {
  return {
    ...meta,
    rank(faces) {
      const out: RankedFace[] = [];
      for (const face of faces) {
        const s = score(face);
        if (s !== null && Number.isFinite(s)) out.push({ imageId: face.imageId, score: s });
      }
      return sortRanked(out);
    },
  };
}

/** The two largest values of a probability row (for margins). */
export function topTwo(probs: ArrayLike<number>): { best: number; bestIndex: number; second: number } {
  let best = -Infinity;
  let bestIndex = -1;
  let second = -Infinity;
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i];
    if (p > best) {
      second = best;
      best = p;
      bestIndex = i;
    } else if (p > second) second = p;
  }
  return { best, bestIndex, second };
}
