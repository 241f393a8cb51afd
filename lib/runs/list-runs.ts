import { desc } from "drizzle-orm";
import { trainingRuns } from "../../db/schema";
import type { Database } from "../db/client";

export interface RunListItem {
  id: number;
  modelName: string;
  status: string;
  trigger: string;
  progress: unknown;
  createdAt: Date;
  finishedAt: Date | null;
}

export async function listRuns(db: Database, limit = 50): Promise<RunListItem[]> {
  return db
    .select({
      id: trainingRuns.id,
      modelName: trainingRuns.modelName,
      status: trainingRuns.status,
      trigger: trainingRuns.trigger,
      progress: trainingRuns.progress,
      createdAt: trainingRuns.createdAt,
      finishedAt: trainingRuns.finishedAt,
    })
    .from(trainingRuns)
    .orderBy(desc(trainingRuns.id))
    .limit(limit);
}
