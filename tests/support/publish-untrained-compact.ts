import * as tf from "@tensorflow/tfjs";
import { getModelSpec } from "../../lib/models/index";
import { publishModelVersion } from "../../lib/model-versions/publish-model-version";
import type { Services } from "../../lib/runtime/services";

/**
 * Publishes an untrained compact model as the serving version: a real published model for the browser to load,
 * without an hour of training. Builds it on the cpu backend (no wasm setup needed to export weights).
 */
export async function publishUntrainedCompact(services: Services) {
  await tf.setBackend("cpu");
  const model = getModelSpec("compact").build();
  try {
    return await publishModelVersion(services.db, services.store, { model, modelName: "compact", serve: "always" });
  } finally {
    model.dispose();
  }
}
