import { desc, eq, inArray } from "drizzle-orm";
import { modelVersions, trainingRuns } from "../../db/schema";
import type { Database } from "../db/client";
import type { EpochMetrics } from "../training/types";
import type { RunProgress } from "./run-queue";

export interface RunListItem {
  id: number;
  modelName: string;
  status: string;
  trigger: string;
  config: unknown;
  progress: RunProgress | null;
  curves: CurvePoint[];
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** The model version the run published, if it did. */
  modelVersionId: number | null;
}

export interface CurvePoint {
  epoch: number;
  trainAccuracy: number;
  valAccuracy: number | null;
  trainLoss?: number;
  valLoss?: number | null;
}

const COLUMNS = {
  id: trainingRuns.id,
  modelName: trainingRuns.modelName,
  status: trainingRuns.status,
  trigger: trainingRuns.trigger,
  config: trainingRuns.config,
  progress: trainingRuns.progress,
  curves: trainingRuns.curves,
  error: trainingRuns.error,
  createdAt: trainingRuns.createdAt,
  startedAt: trainingRuns.startedAt,
  finishedAt: trainingRuns.finishedAt,
};

type Row = { [K in keyof typeof COLUMNS]: (typeof COLUMNS)[K]["_"]["data"] | null } & { id: number };

export async function listRuns(db: Database, limit = 50): Promise<RunListItem[]> {
  const rows = await db.select(COLUMNS).from(trainingRuns).orderBy(desc(trainingRuns.id)).limit(limit);
  const versions = await publishedVersions(db, rows.map((r) => r.id));
  return rows.map((row) => toItem(row as Row, versions.get(row.id) ?? null));
}

/** One run with its log (the end of it: the row keeps the last 64 KB). */
export async function getRun(db: Database, id: number): Promise<(RunListItem & { log: string }) | null> {
  const [row] = await db.select({ ...COLUMNS, log: trainingRuns.log }).from(trainingRuns).where(eq(trainingRuns.id, id));
  if (!row) return null;
  const versions = await publishedVersions(db, [id]);
  return { ...toItem(row as Row, versions.get(id) ?? null), log: row.log };
}

async function publishedVersions(db: Database, runIds: number[]): Promise<Map<number, number>> {
  if (runIds.length === 0) return new Map();
  const rows = await db
    .select({ id: modelVersions.id, runId: modelVersions.runId })
    .from(modelVersions)
    .where(inArray(modelVersions.runId, runIds));
  return new Map(rows.map((r) => [r.runId!, r.id]));
}

function toItem(row: Row, modelVersionId: number | null): RunListItem {
  return {
    id: row.id,
    modelName: row.modelName ?? "",
    status: row.status ?? "",
    trigger: row.trigger ?? "",
    config: row.config,
    error: row.error,
    createdAt: row.createdAt!,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    modelVersionId,
    progress: (row.progress as RunProgress | null) ?? null,
    curves: ((row.curves as EpochMetrics[] | null) ?? []).map((c) => ({
      epoch: c.epoch,
      trainAccuracy: c.trainAccuracy,
      valAccuracy: c.valAccuracy,
      trainLoss: c.trainLoss,
      valLoss: c.valLoss,
    })),
  };
}
