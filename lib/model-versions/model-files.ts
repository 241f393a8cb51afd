import { createHash } from "node:crypto";
import * as tf from "@tensorflow/tfjs";
import type { ObjectStore } from "../storage/object-store";

/**
 * Models in S3 in the standard TensorFlow.js layers format (`model.json` + binary weight shards), which
 * `tf.loadLayersModel` reads from any URL that serves the files side by side. Shards are written first and
 * `model.json` last, then every file is read back and checked, so a half-written folder is never mistaken for a
 * model. Publishing (making a version visible) is the caller's separate step.
 */
export const MODEL_JSON = "model.json";
const SHARD_BYTES = 4 * 1024 * 1024;

export interface StoredFile {
  key: string;
  bytes: number;
  sha256: string;
}

export async function saveModelFiles(
  model: tf.LayersModel,
  store: ObjectStore,
  prefix: string,
  metadata: Record<string, unknown> = {},
): Promise<StoredFile[]> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
  if (!artifacts?.weightSpecs || !artifacts.weightData) throw new Error("the model produced no weights to save");
  const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
  const shardCount = Math.max(1, Math.ceil(weights.length / SHARD_BYTES));
  const paths = Array.from({ length: shardCount }, (_, i) => `group1-shard${i + 1}of${shardCount}.bin`);

  const files: StoredFile[] = [];
  for (let i = 0; i < shardCount; i++) {
    const body = weights.subarray(i * SHARD_BYTES, Math.min(weights.length, (i + 1) * SHARD_BYTES));
    files.push(await putVerified(store, `${prefix}${paths[i]}`, body, "application/octet-stream"));
  }
  const modelJson = {
    format: artifacts.format ?? "layers-model",
    generatedBy: artifacts.generatedBy,
    convertedBy: null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths, weights: artifacts.weightSpecs }],
    userDefinedMetadata: metadata,
  };
  files.push(await putVerified(store, `${prefix}${MODEL_JSON}`, new TextEncoder().encode(JSON.stringify(modelJson)), "application/json"));
  return files;
}

export async function putVerified(store: ObjectStore, key: string, body: Uint8Array, contentType: string): Promise<StoredFile> {
  const sha256 = createHash("sha256").update(body).digest("hex");
  await store.put(key, body, { contentType, cacheControl: "public, max-age=31536000, immutable" });
  const back = await store.get(key);
  const check = createHash("sha256").update(back).digest("hex");
  if (check !== sha256) throw new Error(`${key} did not read back as written (sha256 ${check} != ${sha256})`);
  return { key, bytes: body.length, sha256 };
}

/** Loads a stored model with the ordinary layers loader, reading its files from the store. */
export async function loadModelFiles(store: ObjectStore, prefix: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(modelFilesHandler(store, prefix));
}

/** A tfjs load handler for the files under `prefix` (layers or graph model). */
export function modelFilesHandler(store: ObjectStore, prefix: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(new TextDecoder().decode(await store.get(`${prefix}${MODEL_JSON}`))) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        const buffers = [];
        for (const group of manifest) {
          for (const path of group.paths) buffers.push((await store.get(`${prefix}${path}`)).slice().buffer);
        }
        return [specs, tf.io.CompositeArrayBuffer.join(buffers)];
      });
    },
  };
}
