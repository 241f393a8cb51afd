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

const RECORD = {
  id: modelVersions.id,
  modelName: modelVersions.modelName,
  version: modelVersions.version,
  storagePrefix: modelVersions.storagePrefix,
  serving: modelVersions.serving,
};

/** One published version by id, with where its files live; null when there is none. */
export async function getModelVersion(db: Database, id: number): Promise<ModelVersionRecord | null> {
  const [row] = await db.select(RECORD).from(modelVersions).where(eq(modelVersions.id, id));
  return row ?? null;
}

/** The version the site serves suggestions from, if any. */
export async function getServingModelVersion(db: Database): Promise<ModelVersionRecord | null> {
  const [row] = await db.select(RECORD).from(modelVersions).where(eq(modelVersions.serving, true));
  return row ?? null;
}
