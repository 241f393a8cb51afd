import { perFaceStrategy, topTwo } from "./sampling-strategy";

/** Smallest margin: the top two classes closest together come first (score = -(p1 - p2)). */
export const smallestMargin = perFaceStrategy(
  {
    name: "smallest-margin",
    description: "faces where the model's two likeliest classes are closest",
    evidence: "model",
  },
  (face) => {
    if (!face.probs) return null;
    const { best, second } = topTwo(face.probs);
    return -(best - second);
  },
);
