import { NUM_EMOTIONS } from "../../emotions";
import { type FaceEvidence, type RankedFace, type SamplingStrategy, sortRanked } from "./sampling-strategy";

/**
 * Confident learning (Northcutt et al., 2021) on out-of-sample probabilities and the dataset's given labels only: no
 * people, no crowd, so its precision can be measured against the crowd.
 *
 * Per-class threshold t_j: the mean probability of class j over the faces labelled j (how confident the model
 * usually is when the label is right). A face is a label issue when some other class clears its threshold and the
 * given label does not clear its own. Issues are ranked by normalized margin (p_given - max other p, most negative
 * first) or by self-confidence (p_given, lowest first).
 */
export type IssueRanking = "normalized-margin" | "self-confidence";

export function perClassThresholds(faces: readonly FaceEvidence[], classes = NUM_EMOTIONS): number[] {
  const sums = new Array<number>(classes).fill(0);
  const counts = new Array<number>(classes).fill(0);
  for (const face of faces) {
    if (!face.probs || face.given === null) continue;
    sums[face.given] += face.probs[face.given];
    counts[face.given]++;
  }
  // A class nobody was given cannot vouch for anything: an unreachable threshold.
  return sums.map((s, j) => (counts[j] > 0 ? s / counts[j] : Infinity));
}

export interface LabelIssue extends RankedFace {
  /** The class that cleared its threshold with the highest probability: the likely true label. */
  suggested: number;
}

export function findLabelIssues(
  faces: readonly FaceEvidence[],
  ranking: IssueRanking = "normalized-margin",
  thresholds = perClassThresholds(faces),
): LabelIssue[] {
  const issues: LabelIssue[] = [];
  for (const face of faces) {
    const { probs, given } = face;
    if (!probs || given === null) continue;
    if (probs[given] >= thresholds[given]) continue;
    let suggested = -1;
    let maxOther = -Infinity;
    for (let k = 0; k < probs.length; k++) {
      if (k === given) continue;
      maxOther = Math.max(maxOther, probs[k]);
      if (probs[k] >= thresholds[k] && (suggested < 0 || probs[k] > probs[suggested])) suggested = k;
    }
    if (suggested < 0) continue;
    const score = ranking === "normalized-margin" ? -(probs[given] - maxOther) : -probs[given];
    issues.push({ imageId: face.imageId, score, suggested });
  }
  return sortRanked(issues) as LabelIssue[];
}

export function confidentLearning(ranking: IssueRanking): SamplingStrategy {
  return {
    name: ranking === "normalized-margin" ? "label-issues-margin" : "label-issues-self-confidence",
    description:
      ranking === "normalized-margin"
        ? "suspected mislabels by the model alone (confident learning, normalized margin)"
        : "suspected mislabels by the model alone (confident learning, self-confidence)",
    evidence: "model",
    rank: (faces) => findLabelIssues(faces, ranking),
  };
}
