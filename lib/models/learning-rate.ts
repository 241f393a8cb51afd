import type { LearningRateSchedule } from "./types";

type OneCycle = Extract<LearningRateSchedule, { kind: "one-cycle" }>;

/**
 * The learning rate for batch `step` (0-based) of a run of `totalSteps` batches. `baseLearningRate` is the optimiser's
 * rate; one-cycle ignores it and follows PyTorch's OneCycleLR (cosine, two phases, no momentum cycling).
 */
export function learningRateAt(
  schedule: LearningRateSchedule,
  baseLearningRate: number,
  step: number,
  totalSteps: number,
): number {
  if (schedule.kind !== "one-cycle") return stepSchedule(schedule, baseLearningRate, step);
  // PyTorch's phase boundaries: the peak is reached at step warmup*total - 1 and the floor at the last step.
  const peakStep = schedule.warmupFraction * totalSteps - 1;
  const lastStep = totalSteps - 1;
  if (step <= peakStep) return oneCycleRising(schedule, peakStep > 0 ? step / peakStep : 1);
  return oneCycleFalling(schedule, Math.min(1, (step - peakStep) / (lastStep - peakStep)));
}

/**
 * The same schedules for a run bounded by time instead of steps: one-cycle follows `progress` (the share of the time
 * budget used, 0 to 1), so its peak and its floor land where the budget says, however fast the machine turns out to be.
 * Constant and inverse-time do not depend on the run's length and still follow `step`.
 */
export function learningRateAtProgress(
  schedule: LearningRateSchedule,
  baseLearningRate: number,
  step: number,
  progress: number,
): number {
  if (schedule.kind !== "one-cycle") return stepSchedule(schedule, baseLearningRate, step);
  const p = Math.min(1, Math.max(0, progress));
  const warmup = schedule.warmupFraction;
  return p <= warmup ? oneCycleRising(schedule, p / warmup) : oneCycleFalling(schedule, (p - warmup) / (1 - warmup));
}

function stepSchedule(schedule: Exclude<LearningRateSchedule, OneCycle>, base: number, step: number): number {
  switch (schedule.kind) {
    case "constant":
      return base;
    case "inverse-time":
      return base / (1 + schedule.decayPerBatch * step);
  }
}

/** From max / divFactor up to max, `fraction` of the way. */
function oneCycleRising(schedule: OneCycle, fraction: number): number {
  return cosineBetween(schedule.maxLearningRate / schedule.divFactor, schedule.maxLearningRate, fraction);
}

/** From max down to max / (divFactor * finalDivFactor), `fraction` of the way. */
function oneCycleFalling(schedule: OneCycle, fraction: number): number {
  const floor = schedule.maxLearningRate / schedule.divFactor / schedule.finalDivFactor;
  return cosineBetween(schedule.maxLearningRate, floor, fraction);
}

function cosineBetween(from: number, to: number, fraction: number): number {
  return to + ((from - to) * (1 + Math.cos(Math.PI * fraction))) / 2;
}
