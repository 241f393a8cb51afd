import * as tf from "@tensorflow/tfjs";
import type { ServingModelRef } from "../model-versions/serving-model-ref";
import { type FetchedModelFiles, fetchModelFiles } from "./fetch-model-files";

/**
 * Model files kept in the browser's IndexedDB (tfjs's `indexeddb://` store), one entry per version id. A version
 * never changes once published, so an entry is valid for good; entries of other versions are deleted once a newer
 * one is stored, so the cache holds what is being served.
 */
const KEY_PREFIX = "indexeddb://faceloop-suggest-v";

export type ModelSource = "indexeddb" | "network";

export interface LoadedArtifacts {
  artifacts: tf.io.ModelArtifacts;
  source: ModelSource;
}

function cacheKey(modelVersionId: number): string {
  return `${KEY_PREFIX}${modelVersionId}`;
}

/** From IndexedDB when stored, else from the network (`prefetched` when the download was started earlier). */
export async function loadModelArtifacts(
  model: ServingModelRef,
  prefetched?: Promise<FetchedModelFiles>,
): Promise<LoadedArtifacts> {
  const cached = await readCached(model.id);
  if (cached) return { artifacts: cached, source: "indexeddb" };
  const { modelJson, weights } = await (prefetched ?? fetchModelFiles(model.modelJsonUrl));
  const artifacts = await tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => [
    manifest.flatMap((group) => group.weights),
    weights,
  ]);
  // Storing is best effort (private windows, full disks): the page works without it.
  void storeCached(model.id, artifacts).catch(() => undefined);
  return { artifacts, source: "network" };
}

async function readCached(modelVersionId: number): Promise<tf.io.ModelArtifacts | null> {
  try {
    const [handler] = tf.io.getLoadHandlers(cacheKey(modelVersionId));
    return handler?.load ? await handler.load() : null;
  } catch {
    return null; // not stored yet, or IndexedDB unavailable
  }
}

async function storeCached(modelVersionId: number, artifacts: tf.io.ModelArtifacts): Promise<void> {
  const [handler] = tf.io.getSaveHandlers(cacheKey(modelVersionId));
  if (!handler?.save) return;
  await handler.save(artifacts);
  const stored = await tf.io.listModels();
  for (const key of Object.keys(stored)) {
    if (key.startsWith(KEY_PREFIX) && key !== cacheKey(modelVersionId)) await tf.io.removeModel(key);
  }
}

/** The version ids whose files this browser holds (for tests and the page's status line). */
export async function listCachedModelVersions(): Promise<number[]> {
  try {
    const stored = await tf.io.listModels();
    return Object.keys(stored)
      .filter((key) => key.startsWith(KEY_PREFIX))
      .map((key) => Number(key.slice(KEY_PREFIX.length)));
  } catch {
    return [];
  }
}
