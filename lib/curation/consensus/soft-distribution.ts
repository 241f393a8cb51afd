import type { FaceConsensus, FaceOpinions } from "./face-opinions";
import { judgedNotAFace, voteCounts } from "./face-opinions";

/**
 * The votes as a distribution (FER+'s "probability" scheme, the soft training target). Label and confidence are its
 * argmax and top share, ties to the smallest class index (the distribution, not the label, is the point here).
 */
export function softDistribution(face: FaceOpinions): FaceConsensus {
  const counts = voteCounts(face);
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0 || judgedNotAFace(face))
    return { imageId: face.imageId, label: null, confidence: 0, distribution: counts.map(() => 0), method: "soft" };
  const distribution = counts.map((n) => n / total);
  const best = Math.max(...distribution);
  return { imageId: face.imageId, label: distribution.indexOf(best), confidence: best, distribution, method: "soft" };
}
