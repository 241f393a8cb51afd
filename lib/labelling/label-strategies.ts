/**
 * How the labelling queue picks the next items:
 * - "unreviewed": fewest people's labels first, then oldest image.
 * - "uncertain": the serving model's least confident predictions first (highest entropy).
 * - "mislabel": suspected mislabels first: the serving model or the FER+ crowd disagrees with the original label.
 * - "random": a cheap uniform-ish sample (random start ids walked along the primary key).
 * Every strategy falls back to "unreviewed" for whatever it cannot fill (no serving model, no predictions, ...).
 */
export const LABEL_STRATEGIES = ["unreviewed", "uncertain", "mislabel", "random"] as const;
export type LabelStrategy = (typeof LABEL_STRATEGIES)[number];

export function isLabelStrategy(value: unknown): value is LabelStrategy {
  return typeof value === "string" && (LABEL_STRATEGIES as readonly string[]).includes(value);
}
