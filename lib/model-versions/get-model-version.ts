import { eq } from "drizzle-orm";
import { modelVersions } from "../../db/schema";
import type { Database } from "../db/client";

export interface ModelVersionRecord {
  id: number;
  modelName: string;
  version: string;
  storagePrefix: string;
  serving: boolean;
}

/** One published version by id, with where its files live; null when there is none. */
export async function getModelVersion(db: Database, id: number): Promise<ModelVersionRecord | null> {
  const [row] = await db
    .select({
      id: modelVersions.id,
      modelName: modelVersions.modelName,
      version: modelVersions.version,
      storagePrefix: modelVersions.storagePrefix,
      serving: modelVersions.serving,
    })
    .from(modelVersions)
    .where(eq(modelVersions.id, id));
  return row ?? null;
}
