import * as tf from "@tensorflow/tfjs";
import { reportedBackendName } from "../tf/native/onednn-kernels";
import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { queryRows } from "../db/query-rows";
import { NUM_EMOTIONS, parseClassOrder, reorderRowsToCanonical } from "../emotions";
import { FACE_PIXELS } from "../images/face-format";
import type { ObjectStore } from "../storage/object-store";
import { PER_FACE_PROTOCOL } from "../evaluation/benchmark-rows";
import { readFacePixels } from "../evaluation/evaluate-version";
import { ensureEvaluationLabelSets, labelSetTitle, loadEvaluationLabels } from "../evaluation/evaluation-label-sets";
import { classificationMetrics } from "../training/classification-metrics";
import { modelFilesHandler } from "./model-files";
import { recordVersionDetails } from "./record-version-details";
import { storeTestPredictions } from "./test-predictions";

const BATCH = 128;
const SCALE: Record<string, (x: tf.Tensor) => tf.Tensor> = {
  unit: (x) => x,
  byte: (x) => x.mul(255),
  signed: (x) => x.mul(2).sub(1),
};

/**
 * Evaluates a stored version that was not trained here (an imported model) on the frozen test split against the
 * headline evaluation label set, exactly as trained versions are: its outputs are converted from its stated class order into canonical order (lib/emotions.ts)
 * before anything is compared with a label; its metrics and per-face predictions are stored.
 */
export async function evaluateStoredVersion(
  db: Database,
  store: ObjectStore,
  modelVersionId: number,
  options: { signal?: AbortSignal; log?: (message: string) => void } = {},
): Promise<{ accuracy: number; count: number }> {
  const [version] = await queryRows<{ storage_prefix: string; details: Record<string, string> | null }>(
    db,
    sql`select storage_prefix, details from model_versions where id = ${modelVersionId}`,
  );
  if (!version) throw new Error(`no model version ${modelVersionId}`);
  const details = version.details ?? {};
  const order = parseClassOrder(details.classOrder ?? "fer2013");
  if (!order) throw new Error(`version ${modelVersionId} states no usable class order (${details.classOrder})`);
  const scale = SCALE[details.inputScale ?? "unit"] ?? SCALE.unit;
  const handler = modelFilesHandler(store, version.storage_prefix);
  const model = details.format === "graph-model" ? await tf.loadGraphModel(handler) : await tf.loadLayersModel(handler);
  try {
    // The headline frozen evaluation label set, as trained versions are measured (lib/evaluation/evaluate-version.ts).
    const [set] = await ensureEvaluationLabelSets(db);
    const faces = set ? await loadEvaluationLabels(db, set.id, "test") : [];
    if (faces.length === 0) throw new Error("the frozen test split has no labelled faces");
    const count = faces.length;
    const pixels = await readFacePixels(store, faces);
    const labels = faces.map((f) => f.label);
    const raw = new Float32Array(count * NUM_EMOTIONS);
    for (let start = 0; start < count; start += BATCH) {
      options.signal?.throwIfAborted();
      const end = Math.min(count, start + BATCH);
      const slice = pixels.subarray(start * FACE_PIXELS, end * FACE_PIXELS);
      const output = tf.tidy(() => {
        const x = tf.tensor4d(Float32Array.from(slice, (v) => v / 255), [end - start, 48, 48, 1]);
        return model.predict(scale(x)) as tf.Tensor;
      });
      raw.set(await output.data(), start * NUM_EMOTIONS);
      output.dispose();
    }
    const probabilities = reorderRowsToCanonical(raw, order);
    const metrics = {
      protocol: PER_FACE_PROTOCOL,
      split: "test",
      labels: labelSetTitle(set),
      labelSetId: set.id,
      ...classificationMetrics(probabilities, labels),
    };
    await db.execute(sql`update model_versions set test_metrics = ${JSON.stringify(metrics)}::jsonb,
      evaluation_label_set_id = ${set.id} where id = ${modelVersionId}`);
    await storeTestPredictions(db, modelVersionId, { imageIds: faces.map((f) => f.imageId), labels, probabilities });
    await recordVersionDetails(db, store, modelVersionId, { backend: reportedBackendName() });
    options.log?.(`version ${modelVersionId}: test accuracy per face ${(metrics.accuracy * 100).toFixed(2)} % on ${count} faces`);
    return { accuracy: metrics.accuracy, count };
  } finally {
    model.dispose();
  }
}
