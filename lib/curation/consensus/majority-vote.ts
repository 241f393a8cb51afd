import type { FaceConsensus, FaceOpinions } from "./face-opinions";
import { judgedNotAFace, voteCounts } from "./face-opinions";

/**
 * Plurality over every vote (each crowd vote, each person, the original label once each); ties go to the original
 * label, then to the smallest class index. Confidence: the winner's share of the votes.
 */
export function majorityVote(face: FaceOpinions): FaceConsensus {
  const counts = voteCounts(face);
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0 || judgedNotAFace(face))
    return { imageId: face.imageId, label: null, confidence: 0, distribution: counts.map(() => 0), method: "majority" };
  const best = Math.max(...counts);
  const original = face.original.find((l) => counts[l] === best);
  const label = original ?? counts.indexOf(best);
  return {
    imageId: face.imageId,
    label,
    confidence: best / total,
    distribution: counts.map((n) => n / total),
    method: "majority",
  };
}
