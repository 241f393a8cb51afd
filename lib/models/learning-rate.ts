import type { LearningRateSchedule } from "./types";

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
  switch (schedule.kind) {
    case "constant":
      return baseLearningRate;
    case "inverse-time":
      return baseLearningRate / (1 + schedule.decayPerBatch * step);
    case "one-cycle": {
      const initial = schedule.maxLearningRate / schedule.divFactor;
      const final = initial / schedule.finalDivFactor;
      // PyTorch's phase boundaries: the peak is reached at step warmup*total - 1 and the floor at the last step.
      const peakStep = schedule.warmupFraction * totalSteps - 1;
      const lastStep = totalSteps - 1;
      if (step <= peakStep) return cosineBetween(initial, schedule.maxLearningRate, peakStep > 0 ? step / peakStep : 1);
      return cosineBetween(schedule.maxLearningRate, final, Math.min(1, (step - peakStep) / (lastStep - peakStep)));
    }
  }
}

function cosineBetween(from: number, to: number, fraction: number): number {
  return to + ((from - to) * (1 + Math.cos(Math.PI * fraction))) / 2;
}
