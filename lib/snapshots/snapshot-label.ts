import { type LabelPolicy, resolveLabel } from "../curation/label-policy";
import { NOT_A_FACE, NUM_EMOTIONS } from "../emotions";
import type { LabelMethod } from "./snapshot-filter";

export interface ImageEvidence {
  /** The sources' labels (canonical). */
  original: readonly number[];
  /** Annotators' decisions (canonical, or NOT_A_FACE). */
  people: readonly number[];
  /** FER+ crowd votes per canonical class, if any. */
  crowd: readonly number[] | null;
}

export interface SnapshotLabel {
  label: number;
  /** Share of the votes for `label`; null when no vote exists beyond the source's own label. */
  confidence: number | null;
  /** Distribution over canonical classes (the soft method's target). */
  target: number[] | null;
}

const POLICY: Record<LabelMethod, LabelPolicy> = { original: "original", majority: "consensus", soft: "soft" };

/**
 * An image's label under a snapshot's method, from lib/curation/label-policy.ts (the one place labels are resolved),
 * and how much of the evidence agrees with it. Null: no label under the method, or people judged it not a face
 * (unless `ignoreNotFace`, for snapshots that include not-a-face items).
 */
export function snapshotLabel(evidence: ImageEvidence, method: LabelMethod, ignoreNotFace = false): SnapshotLabel | null {
  const people = ignoreNotFace ? evidence.people.filter((l) => l !== NOT_A_FACE) : evidence.people;
  const resolved = resolveLabel({ original: evidence.original, people, votes: evidence.crowd }, POLICY[method]);
  if (!resolved) return null;
  // The same count of votes label-policy's consensus uses: each crowd vote, each person, the source's label once.
  const counts = new Array<number>(NUM_EMOTIONS).fill(0);
  evidence.crowd?.forEach((n, i) => (counts[i] += n));
  let others = (evidence.crowd ?? []).reduce((a, b) => a + b, 0);
  for (const label of people) {
    if (label !== NOT_A_FACE) counts[label]++;
    others++;
  }
  const source = evidence.original.find((l) => l >= 0 && l < NUM_EMOTIONS);
  if (source !== undefined) counts[source]++;
  const total = counts.reduce((a, b) => a + b, 0) + people.filter((l) => l === NOT_A_FACE).length;
  return {
    label: resolved.label,
    confidence: others > 0 && total > 0 ? counts[resolved.label] / total : null,
    target: method === "soft" ? resolved.target : null,
  };
}
