/**
 * How the labelling queue picks the next items:
 * - "unreviewed": fewest people's labels first, then oldest image.
 * - "uncertain": the serving model's least confident predictions first (highest entropy).
 * - "mislabel": suspected mislabels first: the serving model or the FER+ crowd disagrees with the original label.
 * - "random": a cheap uniform-ish sample (random start ids walked along the primary key).
 * - the ranked strategies of lib/curation/strategies (out-of-sample scores of the latest complete scoring round,
 *   people and the crowd), stored in strategy_ranks, and "mix", the project's weighted blend of them.
 * Every strategy falls back to "unreviewed" for whatever it cannot fill (no serving model, no predictions, ...).
 */
export const WALKED_STRATEGIES = ["unreviewed", "uncertain", "mislabel", "random"] as const;
export const RANKED_STRATEGIES = [
  "mix",
  "least-confidence",
  "smallest-margin",
  "highest-entropy",
  "label-issues-margin",
  "label-issues-self-confidence",
  "suspected-mislabel",
  "vote-entropy",
  "people-vs-model",
  "never-reviewed",
  "smallest-margin-balanced",
  "smallest-margin-diverse",
] as const;
export const LABEL_STRATEGIES = [...WALKED_STRATEGIES, ...RANKED_STRATEGIES] as const;
export type LabelStrategy = (typeof LABEL_STRATEGIES)[number];
export type RankedStrategy = (typeof RANKED_STRATEGIES)[number];

export function isLabelStrategy(value: unknown): value is LabelStrategy {
  return typeof value === "string" && (LABEL_STRATEGIES as readonly string[]).includes(value);
}

export function isRankedStrategy(value: string): value is RankedStrategy {
  return (RANKED_STRATEGIES as readonly string[]).includes(value);
}
