import { desc } from "drizzle-orm";
import { modelVersions } from "../../db/schema";
import type { Database } from "../db/client";

export interface ModelVersionListItem {
  id: number;
  modelName: string;
  version: string;
  serving: boolean;
  paramCount: number | null;
  testMetrics: unknown;
  publishedAt: Date | null;
}

export async function listModelVersions(db: Database, limit = 50): Promise<ModelVersionListItem[]> {
  return db
    .select({
      id: modelVersions.id,
      modelName: modelVersions.modelName,
      version: modelVersions.version,
      serving: modelVersions.serving,
      paramCount: modelVersions.paramCount,
      testMetrics: modelVersions.testMetrics,
      publishedAt: modelVersions.publishedAt,
    })
    .from(modelVersions)
    .orderBy(desc(modelVersions.id))
    .limit(limit);
}
