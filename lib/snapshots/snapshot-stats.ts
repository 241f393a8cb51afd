import type { Split } from "../datasets/types";
import { NUM_EMOTIONS } from "../emotions";

export const EXCLUSION_REASONS = ["split", "upload", "notFace", "duplicate", "noLabel", "lowConfidence"] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

/** What a snapshot holds, counted once when it is made. */
export interface SnapshotStats {
  /** Images per canonical class, per split. */
  counts: Record<Split, number[]>;
  /** Mean confidence (share of votes for the chosen label) per canonical class, over images that have votes. */
  agreement: { mean: Array<number | null>; images: number[] };
  /** How many images the snapshot's label differs from their source's label in. */
  relabelled: number;
  withCrowdVotes: number;
  withPeopleLabels: number;
  /** Images of the live set left out, by reason. */
  excluded: Record<ExclusionReason, number>;
}

export class SnapshotStatsCounter {
  private readonly stats: SnapshotStats = {
    counts: { train: zeros(), val: zeros(), test: zeros() },
    agreement: { mean: new Array(NUM_EMOTIONS).fill(null), images: zeros() },
    relabelled: 0,
    withCrowdVotes: 0,
    withPeopleLabels: 0,
    excluded: Object.fromEntries(EXCLUSION_REASONS.map((r) => [r, 0])) as Record<ExclusionReason, number>,
  };
  private readonly confidenceSums = new Array<number>(NUM_EMOTIONS).fill(0);

  add(item: {
    split: Split;
    label: number;
    confidence: number | null;
    originalLabel: number | null;
    crowd: boolean;
    people: boolean;
  }): void {
    this.stats.counts[item.split][item.label]++;
    if (item.confidence !== null) {
      this.confidenceSums[item.label] += item.confidence;
      this.stats.agreement.images[item.label]++;
    }
    if (item.originalLabel !== null && item.originalLabel !== item.label) this.stats.relabelled++;
    if (item.crowd) this.stats.withCrowdVotes++;
    if (item.people) this.stats.withPeopleLabels++;
  }

  exclude(reason: ExclusionReason): void {
    this.stats.excluded[reason]++;
  }

  result(): SnapshotStats {
    this.stats.agreement.mean = this.confidenceSums.map((sum, i) => {
      const n = this.stats.agreement.images[i];
      return n === 0 ? null : Math.round((sum / n) * 1000) / 1000;
    });
    return this.stats;
  }
}

function zeros(): number[] {
  return new Array<number>(NUM_EMOTIONS).fill(0);
}
