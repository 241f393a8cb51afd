import { classBalanced } from "./class-balanced";
import { confidentLearning } from "./confident-learning";
import { peopleVersusModel, voteEntropy } from "./disagreement";
import { highestEntropy } from "./highest-entropy";
import { diverse } from "./k-center-greedy";
import { leastConfidence } from "./least-confidence";
import { neverReviewed } from "./never-reviewed";
import { randomSample } from "./random-sample";
import type { SamplingStrategy } from "./sampling-strategy";
import { smallestMargin } from "./smallest-margin";
import { suspectedMislabel } from "./suspected-mislabel";

/** Every ranked strategy the queue can serve, by name. */
export const SAMPLING_STRATEGIES: readonly SamplingStrategy[] = [
  leastConfidence,
  smallestMargin,
  highestEntropy,
  confidentLearning("normalized-margin"),
  confidentLearning("self-confidence"),
  suspectedMislabel,
  voteEntropy,
  peopleVersusModel,
  neverReviewed,
  randomSample,
  classBalanced(smallestMargin),
  diverse(smallestMargin),
];

export function getSamplingStrategy(name: string): SamplingStrategy | undefined {
  return SAMPLING_STRATEGIES.find((s) => s.name === name);
}

export * from "./sampling-strategy";
export { classBalanced, confidentLearning, diverse, highestEntropy, leastConfidence, neverReviewed };
export { peopleVersusModel, randomSample, smallestMargin, suspectedMislabel, voteEntropy };
export { findLabelIssues, perClassThresholds } from "./confident-learning";
export { kCenterGreedy } from "./k-center-greedy";
export { mixRankings } from "./mix-rankings";
export { entropy } from "./highest-entropy";
