import type { TrainingPreset } from "./types";

/** One line for tables and logs, e.g. "adamw 3e-3 one-cycle, ls 0.1, shift 0.1 + flip, 30 ep x 64, best val". */
export function describePreset(preset: TrainingPreset): string {
  const { optimizer, schedule, augmentation } = preset;
  const optimizerName = optimizer.weightDecay > 0 ? `adamw(wd ${optimizer.weightDecay})` : "adam";
  const rate = schedule.kind === "one-cycle" ? schedule.maxLearningRate : optimizer.learningRate;
  const scheduleName =
    schedule.kind === "constant"
      ? ""
      : schedule.kind === "inverse-time"
        ? ` /(1+${schedule.decayPerBatch.toExponential()}t)`
        : " one-cycle";
  const parts = [`${optimizerName} ${rate.toExponential()}${scheduleName}`];
  if (preset.labelSmoothing > 0) parts.push(`ls ${preset.labelSmoothing}`);
  const augment = [
    augmentation.shiftFraction > 0
      ? `shift ${augmentation.shiftFraction}${augmentation.wholePixelShifts ? " (whole px)" : ""}`
      : "",
    augmentation.horizontalFlip ? "flip" : "",
  ];
  parts.push(augment.filter(Boolean).join(" + ") || "no aug");
  if (preset.classWeights === "balanced") parts.push("balanced weights");
  parts.push(
    `${preset.epochs} ep x ${preset.batchSize}`,
    preset.checkpoint === "best-val-accuracy" ? "best val" : "last epoch",
  );
  return parts.join(", ");
}
