import { desc } from "drizzle-orm";
import { trainingRuns } from "../../db/schema";
import type { Database } from "../db/client";
import type { EpochMetrics } from "../training/types";
import type { RunProgress } from "./run-queue";

export interface RunListItem {
  id: number;
  modelName: string;
  status: string;
  trigger: string;
  progress: RunProgress | null;
  curves: CurvePoint[];
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export interface CurvePoint {
  epoch: number;
  trainAccuracy: number;
  valAccuracy: number | null;
}

export async function listRuns(db: Database, limit = 50): Promise<RunListItem[]> {
  const rows = await db
    .select({
      id: trainingRuns.id,
      modelName: trainingRuns.modelName,
      status: trainingRuns.status,
      trigger: trainingRuns.trigger,
      progress: trainingRuns.progress,
      curves: trainingRuns.curves,
      error: trainingRuns.error,
      createdAt: trainingRuns.createdAt,
      finishedAt: trainingRuns.finishedAt,
    })
    .from(trainingRuns)
    .orderBy(desc(trainingRuns.id))
    .limit(limit);
  return rows.map((row) => ({
    ...row,
    progress: (row.progress as RunProgress | null) ?? null,
    curves: ((row.curves as EpochMetrics[] | null) ?? []).map((c) => ({
      epoch: c.epoch,
      trainAccuracy: c.trainAccuracy,
      valAccuracy: c.valAccuracy,
    })),
  }));
}
