import { eq } from "drizzle-orm";
import { modelVersions, trainingRuns } from "../../db/schema";
import type { Database } from "../db/client";
import type { CurvePoint } from "../runs/list-runs";
import type { EpochMetrics } from "../training/types";
import type { VersionDetails } from "./record-version-details";

/** Everything a version's page shows besides the recomputed test report. */
export interface VersionPageData {
  id: number;
  modelName: string;
  version: string;
  origin: string;
  serving: boolean;
  publishedAt: Date | null;
  paramCount: number | null;
  weightBytes: number | null;
  details: VersionDetails;
  testSetFingerprint: string | null;
  valAccuracy: number | null;
  run: { id: number; config: unknown; trigger: string; curves: CurvePoint[] } | null;
}

export async function getVersionPage(db: Database, id: number): Promise<VersionPageData | null> {
  const [row] = await db
    .select({ version: modelVersions, run: { id: trainingRuns.id, config: trainingRuns.config, trigger: trainingRuns.trigger, curves: trainingRuns.curves } })
    .from(modelVersions)
    .leftJoin(trainingRuns, eq(trainingRuns.id, modelVersions.runId))
    .where(eq(modelVersions.id, id));
  if (!row) return null;
  const v = row.version;
  return {
    id: v.id,
    modelName: v.modelName,
    version: v.version,
    origin: v.origin,
    serving: v.serving,
    publishedAt: v.publishedAt,
    paramCount: v.paramCount,
    weightBytes: v.weightBytes,
    details: (v.details as VersionDetails | null) ?? {},
    testSetFingerprint: v.testSetFingerprint,
    valAccuracy: (v.valMetrics as { accuracy?: number } | null)?.accuracy ?? null,
    run: row.run?.id
      ? {
          id: row.run.id,
          config: row.run.config,
          trigger: row.run.trigger,
          curves: ((row.run.curves as EpochMetrics[] | null) ?? []).map((c) => ({
            epoch: c.epoch,
            trainAccuracy: c.trainAccuracy,
            valAccuracy: c.valAccuracy,
            trainLoss: c.trainLoss,
            valLoss: c.valLoss,
          })),
        }
      : null,
  };
}
