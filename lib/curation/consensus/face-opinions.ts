import { NUM_EMOTIONS } from "../../emotions";

/**
 * Everything said about one face, by source: the dataset's own label (FER-2013), the FER+ crowd's votes (pooled:
 * ten anonymous voters per face), and each person's label. Labels are canonical class indices; not-a-face decisions
 * are kept apart (they take a face out of consensus, they are not a class).
 */
export interface FaceOpinions {
  imageId: number;
  /** The dataset's label(s): one per source row (two for a duplicate with both labels kept). */
  original: readonly number[];
  /** FER+ votes per canonical class, or null. */
  crowd: readonly number[] | null;
  /** People's labels. */
  people: readonly { annotatorId: string; label: number }[];
  /** People's not-a-face decisions. */
  notFace?: number;
  /** A model's out-of-sample class probabilities, for Dawid-Skene as one more (soft) annotator; others ignore it. */
  model?: readonly number[] | null;
}

export type ConsensusMethod = "majority" | "dawid-skene" | "soft";
export const CONSENSUS_METHODS: readonly ConsensusMethod[] = ["majority", "dawid-skene", "soft"];

export interface FaceConsensus {
  imageId: number;
  /** Canonical class, or null when nobody gave one (or people mostly said it is not a face). */
  label: number | null;
  /** How sure the method is, 0..1: the winner's vote share (majority, soft) or posterior (dawid-skene). */
  confidence: number;
  /** The full distribution over classes (vote shares or posterior). */
  distribution: number[];
  method: ConsensusMethod;
}

/** Every vote counted once: each crowd vote, each person, and each original label. */
export function voteCounts(face: FaceOpinions): number[] {
  const counts = new Array<number>(NUM_EMOTIONS).fill(0);
  face.crowd?.forEach((n, i) => (counts[i] += n));
  for (const p of face.people) if (p.label >= 0 && p.label < NUM_EMOTIONS) counts[p.label]++;
  for (const l of face.original) if (l >= 0 && l < NUM_EMOTIONS) counts[l]++;
  return counts;
}

/** People mostly judged it not a face: no consensus class. */
export function judgedNotAFace(face: FaceOpinions): boolean {
  const notFace = face.notFace ?? 0;
  return notFace > 0 && notFace > face.people.length;
}
