import { desc } from "drizzle-orm";
import { modelVersions } from "../../db/schema";
import type { Database } from "../db/client";

export interface ModelVersionListItem {
  id: number;
  modelName: string;
  version: string;
  serving: boolean;
  paramCount: number | null;
  testMetrics: StoredMetrics | null;
  valMetrics: StoredMetrics | null;
  publishedAt: Date | null;
}

/** The parts of the stored evaluation the pages show (see lib/training/classification-metrics.ts). */
export interface StoredMetrics {
  count: number;
  accuracy: number;
  macroF1: number;
  ece: number;
  confusion: number[][];
  /** Accuracy with test-time augmentation (flip; ten shifts and flips); versions published since it was measured. */
  viewAveragedAccuracy?: { flip: number; shiftFlip: number };
}

export async function listModelVersions(db: Database, limit = 50): Promise<ModelVersionListItem[]> {
  const rows = await db
    .select({
      id: modelVersions.id,
      modelName: modelVersions.modelName,
      version: modelVersions.version,
      serving: modelVersions.serving,
      paramCount: modelVersions.paramCount,
      testMetrics: modelVersions.testMetrics,
      valMetrics: modelVersions.valMetrics,
      publishedAt: modelVersions.publishedAt,
    })
    .from(modelVersions)
    .orderBy(desc(modelVersions.id))
    .limit(limit);
  return rows.map((row) => ({
    ...row,
    testMetrics: (row.testMetrics as StoredMetrics | null) ?? null,
    valMetrics: (row.valMetrics as StoredMetrics | null) ?? null,
  }));
}
