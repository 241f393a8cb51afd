import { NUM_EMOTIONS } from "../../emotions";
import { topTwo, type FaceEvidence, type RankedFace, type SamplingStrategy } from "./sampling-strategy";

/**
 * Class-balanced: takes another strategy's ranking and deals it out class by class in turn (class = the model's
 * prediction, else the given label), so rare classes such as disgust get an equal share of the first places instead
 * of drowning under happy faces.
 */
export function classBalanced(base: SamplingStrategy): SamplingStrategy {
  return {
    name: `${base.name}-balanced`,
    description: `${base.description}, dealt out class by class`,
    evidence: base.evidence,
    rank(faces, options) {
      const byId = new Map(faces.map((f) => [f.imageId, f]));
      const queues: RankedFace[][] = Array.from({ length: NUM_EMOTIONS + 1 }, () => []);
      for (const ranked of base.rank(faces, options)) {
        const cls = faceClass(byId.get(ranked.imageId)!);
        queues[cls ?? NUM_EMOTIONS].push(ranked);
      }
      const out: RankedFace[] = [];
      const heads = new Array<number>(queues.length).fill(0);
      let total = queues.reduce((a, q) => a + q.length, 0);
      while (total > 0) {
        for (let c = 0; c < queues.length; c++) {
          if (heads[c] < queues[c].length) {
            out.push(queues[c][heads[c]++]);
            total--;
          }
        }
      }
      return out.map((r, i) => ({ imageId: r.imageId, score: out.length - i }));
    },
  };
}

function faceClass(face: FaceEvidence): number | null {
  if (face.probs) return topTwo(face.probs).bestIndex;
  return face.given;
}
