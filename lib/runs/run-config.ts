import { z } from "zod";
import { LABEL_POLICIES, type LabelPolicy } from "../curation/label-policy";
import { getModelSpec } from "../models";
import { FAST_PRESET } from "../models/presets";
import type { TrainingPreset } from "../models/types";

const FAST_ONE_CYCLE = FAST_PRESET.schedule as Extract<TrainingPreset["schedule"], { kind: "one-cycle" }>;

/**
 * Overrides of the preset's recipe, each optional (the preset's value when unset). A learning rate sets the
 * constant rate, or the peak of a one-cycle schedule.
 */
export const ZHyperparameters = z.object({
  batchSize: z.number().int().min(1).max(1024).optional(),
  learningRate: z.number().positive().max(1).optional(),
  schedule: z.enum(["constant", "one-cycle"]).optional(),
  augmentation: z.enum(["none", "flip", "shift-flip"]).optional(),
  labelSmoothing: z.number().min(0).max(0.5).optional(),
  classWeights: z.enum(["none", "balanced"]).optional(),
});
export type Hyperparameters = z.infer<typeof ZHyperparameters>;

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
  /**
   * Train and select on this dataset snapshot's train and val faces, with the labels frozen into it (its label method
   * replaces `labelPolicy`); unset: the live curated set. The test split is the frozen one either way.
   */
  snapshotId: z.number().int().positive().optional(),
  seed: z.number().int().default(1),
  /**
   * What the training convolutions compute in on the onednn backend: "f32", or "bf16" mixed precision on AMX (bf16
   * products, f32 weights, updates and everything else; each shape runs whichever of the two is faster). Ignored on
   * other backends and CPUs without AMX. Val, test and scoring passes are f32.
   */
  precision: z.enum(["f32", "bf16"]).default("f32"),
  /** Split each batch into micro-batches (same update) to fit big nets into wasm's 4 GB. */
  microBatchSize: z.number().int().positive().optional(),
  /** Use at most this many training images (quick runs, tests); all when unset. */
  maxTrainImages: z.number().int().positive().optional(),
  /** Whether the published version may become the serving one (if its val accuracy beats the current one). */
  serve: z.enum(["if-better", "always", "never"]).default("if-better"),
  hyperparameters: ZHyperparameters.optional(),
  /** Train nothing: evaluate this stored (imported) version on the frozen test split. */
  evaluateModelVersionId: z.number().int().positive().optional(),
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
  const preset = config.hyperparameters ? applyHyperparameters(base, config.hyperparameters) : base;
  return config.epochs ? { ...preset, epochs: config.epochs } : preset;
}

function applyHyperparameters(base: TrainingPreset, h: Hyperparameters): TrainingPreset {
  const preset: TrainingPreset = { ...base, name: `${base.name}-custom` };
  if (h.batchSize !== undefined) preset.batchSize = h.batchSize;
  if (h.labelSmoothing !== undefined) preset.labelSmoothing = h.labelSmoothing;
  if (h.classWeights !== undefined) preset.classWeights = h.classWeights;
  if (h.augmentation !== undefined) {
    preset.augmentation =
      h.augmentation === "none"
        ? { shiftFraction: 0, horizontalFlip: false }
        : { ...base.augmentation, shiftFraction: h.augmentation === "flip" ? 0 : base.augmentation.shiftFraction || 0.1, horizontalFlip: true };
  }
  const kind = h.schedule ?? base.schedule.kind;
  const rate =
    h.learningRate ?? (base.schedule.kind === "one-cycle" ? base.schedule.maxLearningRate : base.optimizer.learningRate);
  if (kind === "one-cycle") {
    const cycle = base.schedule.kind === "one-cycle" ? base.schedule : FAST_ONE_CYCLE;
    preset.schedule = { ...cycle, maxLearningRate: rate };
    preset.optimizer = { ...base.optimizer, learningRate: rate };
  } else if (h.schedule !== undefined || h.learningRate !== undefined) {
    preset.schedule = h.schedule === "constant" || base.schedule.kind === "one-cycle" ? { kind: "constant" } : base.schedule;
    preset.optimizer = { ...base.optimizer, learningRate: rate };
  }
  const parts = Object.entries(h).map(([k, v]) => `${k} ${v}`);
  preset.description = `${base.description}; custom: ${parts.join(", ")}`;
  return preset;
}
