import { perFaceStrategy } from "./sampling-strategy";

/** Least confidence: 1 - max p. Faces whose top class the model is least sure of come first. */
export const leastConfidence = perFaceStrategy(
  {
    name: "least-confidence",
    description: "the model's least confident faces (lowest top probability)",
    evidence: "model",
  },
  (face) => {
    if (!face.probs) return null;
    let max = 0;
    for (let i = 0; i < face.probs.length; i++) max = Math.max(max, face.probs[i]);
    return 1 - max;
  },
);
