import { eq } from "drizzle-orm";
import { modelVersions } from "../../db/schema";
import type { Database } from "../db/client";

// The same name model-files.ts writes; not imported from there, which would load tfjs into every page that links a model.
const MODEL_JSON = "model.json";

/** What a browser needs to load a version: its id (the cache key; versions are immutable) and where model.json is. */
export interface ServingModelRef {
  id: number;
  modelName: string;
  version: string;
  /** `/api/models/<id>/files/model.json`; the weight shards sit beside it. */
  modelJsonUrl: string;
}

export function modelFileUrl(modelVersionId: number, file: string): string {
  return `/api/models/${modelVersionId}/files/${encodeURIComponent(file)}`;
}

export function toServingModelRef(version: { id: number; modelName: string; version: string }): ServingModelRef {
  return {
    id: version.id,
    modelName: version.modelName,
    version: version.version,
    modelJsonUrl: modelFileUrl(version.id, MODEL_JSON),
  };
}

/**
 * The files a stored version may consist of: model.json and its tfjs weight shards. Anything else (paths, dots,
 * other objects under the prefix) is refused before S3 is asked.
 */
const MODEL_FILE = /^(model\.json|group\d{1,4}-shard\d{1,4}of\d{1,4}\.bin)$/;

export function isModelFileName(name: string): boolean {
  return MODEL_FILE.test(name);
}

/** The serving version as the browser needs it, or null when none serves yet. */
export async function getServingModelRef(db: Database): Promise<ServingModelRef | null> {
  const [row] = await db
    .select({ id: modelVersions.id, modelName: modelVersions.modelName, version: modelVersions.version })
    .from(modelVersions)
    .where(eq(modelVersions.serving, true));
  return row ? toServingModelRef(row) : null;
}
