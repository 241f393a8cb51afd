import { resolveLabel } from "../curation/label-policy";
import { NOT_A_FACE, NUM_EMOTIONS } from "../emotions";
import type { LabelMethod } from "./snapshot-filter";

export interface ImageEvidence {
  /** The sources' labels (canonical). */
  original: readonly number[];
  /** Annotators' decisions (canonical, or NOT_A_FACE). */
  people: readonly number[];
  /** FER+ crowd votes per canonical class, if any. */
  crowd: readonly number[] | null;
  /** The stored consensus under the snapshot's method (lib/curation/consensus), if it has one. */
  consensus?: { label: number | null; confidence: number; distribution: number[] } | null;
}

export interface SnapshotLabel {
  label: number;
  /** The label's vote share (original) or the consensus method's confidence; null when nothing but the source spoke. */
  confidence: number | null;
  /** Distribution over canonical classes (soft and Dawid-Skene). */
  target: number[] | null;
}

/**
 * An image's label under a snapshot's method. "original" is label-policy's original label, with the share of all
 * votes (crowd, people, the source) that agree with it; the consensus methods read the stored consensus, computed in
 * one place (lib/curation/consensus). Null: no label under the method, or people judged it not a face (unless
 * `ignoreNotFace`, which only the original label can honour: consensus gives such faces no label).
 */
export function snapshotLabel(
  evidence: ImageEvidence,
  method: LabelMethod,
  ignoreNotFace = false,
): SnapshotLabel | null {
  if (method !== "original") {
    const consensus = evidence.consensus;
    if (!consensus || consensus.label === null) return null;
    return {
      label: consensus.label,
      confidence: consensus.confidence,
      target: method === "majority" ? null : consensus.distribution,
    };
  }
  const people = ignoreNotFace ? evidence.people.filter((l) => l !== NOT_A_FACE) : evidence.people;
  const notFace = people.filter((l) => l === NOT_A_FACE).length;
  if (notFace > 0 && notFace > people.length - notFace) return null;
  const resolved = resolveLabel({ original: evidence.original, people, votes: evidence.crowd }, "original");
  if (!resolved) return null;
  // Every vote once: each crowd vote, each person, the source's label.
  const counts = new Array<number>(NUM_EMOTIONS).fill(0);
  evidence.crowd?.forEach((n, i) => (counts[i] += n));
  const others = (evidence.crowd ?? []).reduce((a, b) => a + b, 0) + people.length;
  for (const label of people) if (label !== NOT_A_FACE) counts[label]++;
  counts[resolved.label]++;
  const total = counts.reduce((a, b) => a + b, 0) + notFace;
  return { label: resolved.label, confidence: others > 0 ? counts[resolved.label] / total : null, target: null };
}
