import type { Database } from "../db/client";
import { NUM_EMOTIONS } from "../emotions";
import {
  argmaxAt,
  type ClassificationMetrics,
  classificationMetrics,
  type ReliabilityBin,
  reliabilityBins,
} from "../training/classification-metrics";
import { loadTestPredictions } from "./test-predictions";

export interface HardItem {
  imageId: number;
  label: number;
  predicted: number;
  /** The model's probability for its (wrong) prediction. */
  confidence: number;
  /** Its probability for the true label. */
  trueProbability: number;
}

export interface VersionReport {
  metrics: ClassificationMetrics;
  reliability: ReliabilityBin[];
  /** The most confident mistakes, most confident first. */
  hardest: HardItem[];
}

/** A version's test results recomputed from its stored per-face predictions; null when it has none stored. */
export async function getVersionReport(db: Database, modelVersionId: number, hardestCount = 24): Promise<VersionReport | null> {
  const set = await loadTestPredictions(db, modelVersionId);
  if (set.imageIds.length === 0) return null;
  const { probabilities, labels } = set;
  const mistakes: HardItem[] = [];
  for (let i = 0; i < labels.length; i++) {
    const predicted = argmaxAt(probabilities, i);
    if (predicted === labels[i]) continue;
    mistakes.push({
      imageId: set.imageIds[i],
      label: labels[i],
      predicted,
      confidence: probabilities[i * NUM_EMOTIONS + predicted],
      trueProbability: probabilities[i * NUM_EMOTIONS + labels[i]],
    });
  }
  mistakes.sort((a, b) => b.confidence - a.confidence || a.imageId - b.imageId);
  return {
    metrics: classificationMetrics(probabilities, labels),
    reliability: reliabilityBins(probabilities, labels),
    hardest: mistakes.slice(0, hardestCount),
  };
}
