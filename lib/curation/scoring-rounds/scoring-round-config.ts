import { z } from "zod";

/**
 * A scoring round's job definition, stored as the training run's config (`job: "scoring-round"`), so it is queued,
 * claimed, heartbeated, cancelled and shown on /runs like any training run.
 */
export const ZScoringRoundConfig = z.object({
  job: z.literal("scoring-round"),
  /** K of K-fold cross-validation over the train split. */
  folds: z.number().int().min(2).max(20).default(5),
  /** The fast model each fold trains (a model of the zoo). */
  modelName: z.string().default("compact"),
  /** Training time for all folds together (the schedule of each fold spans its share); unset: `epochs` per fold. */
  timeBudgetMinutes: z.number().positive().max(7 * 24 * 60).optional(),
  /** Epochs per fold (a cap when there is a time budget). */
  epochs: z.number().int().positive().max(1000).default(8),
  seed: z.number().int().default(1),
  /** Embed every face with fold 0's model (for the diversity strategies); off saves one pass over the set. */
  embed: z.boolean().default(true),
  /** Use at most this many train faces (quick runs, tests); all when unset. */
  maxTrainImages: z.number().int().positive().optional(),
});
export type ScoringRoundConfig = z.infer<typeof ZScoringRoundConfig>;

export function isScoringRoundConfig(raw: unknown): boolean {
  return typeof raw === "object" && raw !== null && (raw as { job?: unknown }).job === "scoring-round";
}

export function parseScoringRoundConfig(raw: unknown): ScoringRoundConfig {
  const parsed = ZScoringRoundConfig.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      `invalid scoring round config: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  }
  return parsed.data;
}

/** Which fold holds a face out: a hash of its id and the seed, so the split survives a resume and new faces. */
export function foldOf(imageId: number, folds: number, seed: number): number {
  let h = (imageId ^ Math.imul(seed, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return ((h ^ (h >>> 16)) >>> 0) % folds;
}
