import { perFaceStrategy } from "./sampling-strategy";

/** Shannon entropy of a distribution, in nats (0 for a one-hot row). */
export function entropy(probs: ArrayLike<number>): number {
  let h = 0;
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i];
    if (p > 0) h -= p * Math.log(p);
  }
  return h;
}

/** Highest entropy: the model's whole distribution is the flattest. */
export const highestEntropy = perFaceStrategy(
  {
    name: "highest-entropy",
    description: "faces where the model's class distribution is flattest (highest entropy)",
    evidence: "model",
  },
  (face) => (face.probs ? entropy(face.probs) : null),
);
