import { NUM_EMOTIONS } from "../../emotions";
import { entropy } from "./highest-entropy";
import { perFaceStrategy } from "./sampling-strategy";

/** People's labels and the crowd's votes as one count per class. */
export function humanVoteCounts(face: { people: readonly number[]; votes: readonly number[] | null }): number[] {
  const counts = new Array<number>(NUM_EMOTIONS).fill(0);
  face.votes?.forEach((n, i) => (counts[i] += n));
  for (const label of face.people) if (label >= 0 && label < NUM_EMOTIONS) counts[label]++;
  return counts;
}

/** Vote entropy: faces where people and the crowd disagree most among themselves (needs two opinions). */
export const voteEntropy = perFaceStrategy(
  {
    name: "vote-entropy",
    description: "faces where people and the FER+ crowd disagree most (vote entropy)",
    evidence: "crowd",
  },
  (face) => {
    const counts = humanVoteCounts(face);
    const total = counts.reduce((a, b) => a + b, 0);
    if (total < 2) return null;
    return entropy(counts.map((n) => n / total));
  },
);

/**
 * People against the model: the mean probability the model gives to something other than each person's label.
 * Only faces people have labelled.
 */
export const peopleVersusModel = perFaceStrategy(
  {
    name: "people-vs-model",
    description: "faces where people's labels and the model disagree",
    evidence: "model+crowd",
  },
  (face) => {
    if (!face.probs || face.people.length === 0) return null;
    let sum = 0;
    for (const label of face.people) sum += 1 - face.probs[label];
    return sum / face.people.length;
  },
);
