import { humanVoteCounts } from "./disagreement";
import { perFaceStrategy } from "./sampling-strategy";

/**
 * Suspected mislabels from every signal: the model's out-of-sample disagreement with the given label (max other
 * probability - p_given) and people's plus the crowd's ((votes for their top class - votes for the given label) /
 * all votes); the stronger of the two, where positive. For the queue; the model-only ranking is confident learning.
 */
export const suspectedMislabel = perFaceStrategy(
  {
    name: "suspected-mislabel",
    description: "suspected mislabels: the model, people or the FER+ crowd disagree with the given label",
    evidence: "model+crowd",
  },
  (face) => {
    if (face.given === null) return null;
    let best = 0;
    if (face.probs) {
      let maxOther = 0;
      for (let k = 0; k < face.probs.length; k++) if (k !== face.given) maxOther = Math.max(maxOther, face.probs[k]);
      best = Math.max(best, maxOther - face.probs[face.given]);
    }
    const counts = humanVoteCounts(face);
    const total = counts.reduce((a, b) => a + b, 0);
    if (total > 0) best = Math.max(best, (Math.max(...counts) - counts[face.given]) / total);
    return best > 0 ? best : null;
  },
);
