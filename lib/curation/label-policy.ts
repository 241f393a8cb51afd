import { NUM_EMOTIONS, NOT_A_FACE } from "../emotions";

/**
 * Which label an image trains and is evaluated with, from everything known about it:
 * - "original": the dataset's own label (FER-2013's); the standard benchmark's labels.
 * - "consensus": every vote counts once (each FER+ crowd vote, each annotator, and the original label); the most
 *   voted class wins, ties go to the original label. Not-a-face decisions by annotators take the image out.
 * - "soft": the same votes as a probability distribution, a soft training target (FER+'s "probability" scheme).
 * - "dawid-skene": the stored Dawid-Skene consensus (lib/curation/consensus); set-wide, so loadLabelledSet reads it.
 */
export type LabelPolicy = "original" | "consensus" | "soft" | "dawid-skene";
export const LABEL_POLICIES: readonly LabelPolicy[] = ["original", "consensus", "soft", "dawid-skene"];

export interface LabelEvidence {
  /** Labels the image's sources gave (canonical); usually one, two for a duplicate. */
  original: readonly number[];
  /** Annotators' decisions (canonical, or NOT_A_FACE). */
  people: readonly number[];
  /** Crowd vote counts per canonical class (FER+), if any. */
  votes: readonly number[] | null;
}

export interface ResolvedLabel {
  /** Hard label, canonical. */
  label: number;
  /** Probability per canonical class; one-hot unless the policy is "soft". */
  target: number[];
}

/** Resolves one image's label, or null when it has none under the policy (or was judged not a face). */
export function resolveLabel(evidence: LabelEvidence, policy: LabelPolicy): ResolvedLabel | null {
  if (policy === "dawid-skene") throw new Error("dawid-skene labels come from the stored consensus, not one face");
  const original = mostCommon(evidence.original);
  if (policy === "original") return original === null ? null : oneHot(original);

  const people = evidence.people.filter((l) => l !== NOT_A_FACE);
  const notFace = evidence.people.length - people.length;
  if (notFace > people.length && notFace > 0) return null;
  const counts = new Array<number>(NUM_EMOTIONS).fill(0);
  evidence.votes?.forEach((n, i) => (counts[i] += n));
  for (const label of people) counts[label]++;
  if (original !== null) counts[original]++;
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;

  const best = Math.max(...counts);
  const winners = counts.flatMap((n, i) => (n === best ? [i] : []));
  const label = original !== null && winners.includes(original) ? original : winners[0];
  if (policy === "consensus") return oneHot(label);
  return { label, target: counts.map((n) => n / total) };
}

/** A hard label as a training target: all its weight on one class. */
export function oneHot(label: number): ResolvedLabel {
  const target = new Array<number>(NUM_EMOTIONS).fill(0);
  target[label] = 1;
  return { label, target };
}

function mostCommon(labels: readonly number[]): number | null {
  const valid = labels.filter((l) => l >= 0 && l < NUM_EMOTIONS);
  if (valid.length === 0) return null;
  const counts = new Map<number, number>();
  for (const l of valid) counts.set(l, (counts.get(l) ?? 0) + 1);
  // Ties go to the first source's label, so the result does not depend on map order.
  let best = valid[0];
  for (const [label, n] of counts) if (n > (counts.get(best) ?? 0)) best = label;
  return best;
}
