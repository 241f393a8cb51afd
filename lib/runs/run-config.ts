import { z } from "zod";
import { LABEL_POLICIES, type LabelPolicy } from "../curation/label-policy";
import { getModelSpec } from "../models";
import { FAST_PRESET } from "../models/presets";
import type { TrainingPreset } from "../models/types";

/** What a training run is asked to do; stored as training_runs.config. */
export const ZRunConfig = z.object({
  /** "seed": the model's own recipe from the study; "fast": our CPU-friendly recipe (one-cycle, AdamW, smoothing). */
  preset: z.enum(["seed", "fast"]).default("seed"),
  epochs: z.number().int().positive().max(1000).optional(),
  /**
   * Train for this long instead (wall time of the training loop, val passes included): the schedule is spread over
   * the time and `epochs` becomes a cap. For "what does an hour on this machine give".
   */
  timeBudgetMinutes: z.number().positive().max(7 * 24 * 60).optional(),
  labelPolicy: z.enum(LABEL_POLICIES as [LabelPolicy, ...LabelPolicy[]]).default("original"),
  seed: z.number().int().default(1),
  /** Split each batch into micro-batches (same update) to fit big nets into wasm's 4 GB. */
  microBatchSize: z.number().int().positive().optional(),
  /** Use at most this many training images (quick runs, tests); all when unset. */
  maxTrainImages: z.number().int().positive().optional(),
  /** Whether the published version may become the serving one (if its val accuracy beats the current one). */
  serve: z.enum(["if-better", "always", "never"]).default("if-better"),
});
export type RunConfig = z.infer<typeof ZRunConfig>;

export function parseRunConfig(raw: unknown): RunConfig {
  const parsed = ZRunConfig.safeParse(raw ?? {});
  if (!parsed.success) {
    throw new Error(`invalid run config: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  return parsed.data;
}

/** The preset a run trains with: the model's own (seed) or the fast one, with the run's epoch override. */
export function resolvePreset(modelName: string, config: RunConfig): TrainingPreset {
  const spec = getModelSpec(modelName);
  const base = config.preset === "fast" ? FAST_PRESET : spec.preset;
  return config.epochs ? { ...base, epochs: config.epochs } : base;
}
