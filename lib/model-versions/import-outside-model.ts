import { randomBytes } from "node:crypto";
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { recordAuditEvent } from "../audit/record-audit-event";
import { AuthError } from "../auth/auth-error";
import type { Database } from "../db/client";
import { queryRows } from "../db/query-rows";
import { sql } from "drizzle-orm";
import { type Emotion, NUM_EMOTIONS, parseClassOrder } from "../emotions";
import { enqueueRun } from "../runs/run-queue";
import type { ObjectStore } from "../storage/object-store";
import { MODEL_JSON, putVerified } from "./model-files";

/**
 * An outside model brought in as a version: a TensorFlow.js layers or graph model (model.json + weight files) that
 * takes 48x48x1 faces and gives 7 class scores in a stated order. It is checked by loading it and running it once,
 * stored like our own (weights re-sharded under our file names, model.json last, every file read back), and queued
 * for the trainer to evaluate on the frozen test split, its outputs converted to canonical order by lib/emotions.ts.
 */
export const ZImportOptions = z.object({
  name: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "use 1-40 lowercase letters, digits and dashes"),
  classOrder: z.string().refine((s) => parseClassOrder(s) !== null, {
    message: 'state the output order: "fer2013", "alphabetical", or the seven emotion names comma-separated',
  }),
  /** What the model expects pixels scaled to: [0,1] as ours, [0,255], or [-1,1]. */
  inputScale: z.enum(["unit", "byte", "signed"]).default("unit"),
});
export type TImportOptions = z.infer<typeof ZImportOptions>;

export const MAX_IMPORT_BYTES = 200 * 1024 * 1024;
const SHARD_BYTES = 4 * 1024 * 1024;

export interface ImportedModel {
  modelVersionId: number;
  evaluationRunId: number;
  format: "layers-model" | "graph-model";
  classOrder: readonly Emotion[];
  paramCount: number;
}

interface ParsedModel {
  json: tf.io.ModelJSON;
  format: "layers-model" | "graph-model";
  specs: tf.io.WeightsManifestEntry[];
  weights: Uint8Array;
}

/** Checks the files make one loadable tfjs model; throws AuthError("invalid") with what is wrong. */
export function parseModelFiles(files: Map<string, Uint8Array>): ParsedModel {
  const basename = (p: string) => p.slice(p.lastIndexOf("/") + 1);
  const byName = new Map([...files].map(([name, data]) => [basename(name), data]));
  const jsonBytes = byName.get(MODEL_JSON);
  if (!jsonBytes) throw new AuthError("invalid", "model.json is missing");
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(new TextDecoder().decode(jsonBytes)) as tf.io.ModelJSON;
  } catch {
    throw new AuthError("invalid", "model.json is not valid JSON");
  }
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new AuthError("invalid", "model.json has no modelTopology or weightsManifest: is it a TensorFlow.js model?");
  }
  const format =
    json.format === "graph-model" || (json.modelTopology as { node?: unknown }).node !== undefined ? "graph-model" : "layers-model";
  const parts: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    for (const path of group.paths) {
      const data = byName.get(basename(path));
      if (!data) throw new AuthError("invalid", `weight file ${basename(path)} named in model.json was not uploaded`);
      parts.push(data);
    }
  }
  const weights = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    weights.set(part, offset);
    offset += part.length;
  }
  return { json, format, specs: json.weightsManifest.flatMap((g) => g.weights), weights };
}

/** Loads parsed files as a model (layers or graph) that predicts from a [n, 48, 48, 1] tensor. */
export async function loadParsedModel(parsed: ParsedModel): Promise<tf.LayersModel | tf.GraphModel> {
  const artifacts = await tf.io.getModelArtifactsForJSON(parsed.json, async () => [parsed.specs, parsed.weights.slice().buffer]);
  const handler = tf.io.fromMemory(artifacts);
  try {
    return parsed.format === "graph-model" ? await tf.loadGraphModel(handler) : await tf.loadLayersModel(handler);
  } catch (error) {
    throw new AuthError("invalid", `TensorFlow.js cannot load the model: ${error instanceof Error ? error.message : error}`);
  }
}

/** Runs the model once on a blank face: it must take 48x48x1 and answer 7 scores. */
export function checkModelShape(model: tf.LayersModel | tf.GraphModel): void {
  const input = tf.zeros([1, 48, 48, 1]);
  let output: tf.Tensor | tf.Tensor[] | tf.NamedTensorMap | undefined;
  try {
    output = model.predict(input) as tf.Tensor | tf.Tensor[];
  } catch (error) {
    throw new AuthError("invalid", `the model does not take a 48x48x1 face: ${error instanceof Error ? error.message : error}`);
  } finally {
    input.dispose();
  }
  const tensors: tf.Tensor[] = Array.isArray(output)
    ? output
    : output instanceof tf.Tensor
      ? [output]
      : Object.values(output as tf.NamedTensorMap);
  const shape = tensors[0]?.shape ?? [];
  tf.dispose(tensors);
  if (tensors.length !== 1 || shape.length !== 2 || shape[1] !== NUM_EMOTIONS) {
    throw new AuthError("invalid", `the model must give one output of 7 class scores; it gives [${shape.join(", ")}]`);
  }
}

export async function importOutsideModel(
  db: Database,
  store: ObjectStore,
  files: Map<string, Uint8Array>,
  options: TImportOptions,
  actorId: string | null,
): Promise<ImportedModel> {
  const classOrder = parseClassOrder(options.classOrder)!;
  const parsed = parseModelFiles(files);
  const model = await loadParsedModel(parsed);
  try {
    checkModelShape(model);
  } finally {
    model.dispose();
  }
  const paramCount = parsed.specs.reduce((n, spec) => n + spec.shape.reduce((a, b) => a * b, 1), 0);
  const modelName = `outside-${options.name}`;
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "");
  const version = `${stamp}-import-${randomBytes(3).toString("hex")}`;
  const storagePrefix = `models/${modelName}/${version}/`;

  // Our file names (group1-shardXofN.bin), so the version is served and downloaded like any other.
  const count = Math.max(1, Math.ceil(parsed.weights.length / SHARD_BYTES));
  const paths = Array.from({ length: count }, (_, i) => `group1-shard${i + 1}of${count}.bin`);
  for (let i = 0; i < count; i++) {
    const body = parsed.weights.subarray(i * SHARD_BYTES, Math.min(parsed.weights.length, (i + 1) * SHARD_BYTES));
    await putVerified(store, `${storagePrefix}${paths[i]}`, body, "application/octet-stream");
  }
  const modelJson = {
    ...parsed.json,
    weightsManifest: [{ paths, weights: parsed.specs }],
    userDefinedMetadata: { ...(parsed.json.userDefinedMetadata ?? {}), faceloop: { modelName, version, classOrder } },
  };
  await putVerified(store, `${storagePrefix}${MODEL_JSON}`, new TextEncoder().encode(JSON.stringify(modelJson)), "application/json");

  const details = {
    format: parsed.format,
    classOrder: classOrder.join(","),
    inputScale: options.inputScale,
    importedAs: options.name,
  };
  return db.transaction(async (tx) => {
    const [row] = await queryRows<{ id: number }>(
      tx,
      sql`insert into model_versions (model_name, version, storage_prefix, param_count, origin, details, published_at)
          values (${modelName}, ${version}, ${storagePrefix}, ${paramCount}, 'imported', ${JSON.stringify(details)}::jsonb, now())
          returning id`,
    );
    const evaluationRunId = await enqueueRun(tx, {
      modelName,
      config: { evaluateModelVersionId: row.id, serve: "never" },
      trigger: "import",
      requestedBy: actorId,
    });
    await recordAuditEvent(tx, {
      actorId,
      action: "model.imported",
      subject: `model_version:${row.id}`,
      details: { ...details, evaluationRunId },
    });
    return { modelVersionId: row.id, evaluationRunId, format: parsed.format, classOrder, paramCount };
  });
}
