import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { queryRows } from "../db/query-rows";
import type { PublishedVersion } from "../model-versions/publish-model-version";
import type { ObjectStore } from "../storage/object-store";
import { DEMO_SOURCE } from "./seed-demo-dataset";

export interface SeedDemoModelOptions {
  /** Train briefly on synthetic faces (about 10-30 s on 2 cores) rather than publish random weights. */
  train?: boolean;
  log?: (line: string) => void;
}

const MODEL_NAME = "compact";
const TRAIN_FACES = 420;
const VAL_FACES = 70;
const EPOCHS = 2;
const CALIBRATION_FACES = 96;

/**
 * Gives the demo install a serving model, so the labelling page shows suggestions from the first start: the compact
 * net trained for two epochs on synthetic faces (from the same generator as the demo set; different seeds), its
 * BatchNorm statistics recalibrated, published as the serving version. Does nothing when any model version exists,
 * or when the install holds real data instead of the demo faces (a cartoon-trained net would only mislead there).
 * The version carries no validation metrics, so the trainer's first real model ("if-better") replaces it.
 */
export async function seedDemoModel(
  db: Database,
  store: ObjectStore,
  options: SeedDemoModelOptions = {},
): Promise<PublishedVersion | null> {
  const [state] = await queryRows<{ versions: number; demo: boolean; real: boolean }>(
    db,
    sql`select (select count(*)::int from model_versions) as versions,
               exists (select 1 from image_sources where source = ${DEMO_SOURCE}) as demo,
               exists (select 1 from image_sources where source <> ${DEMO_SOURCE}) as real`,
  );
  if (state.versions > 0 || !state.demo || state.real) return null;

  // Loaded only when needed: most starts never get here.
  const tf = await import("@tensorflow/tfjs");
  const { selectBackend } = await import("../tf/select-backend");
  const { getModelSpec } = await import("../models/index");
  const { publishModelVersion } = await import("../model-versions/publish-model-version");
  const train = options.train ?? true;
  const backend = await selectBackend({ prefer: train ? "wasm" : "cpu" });
  const spec = getModelSpec(MODEL_NAME);
  const model = spec.build();
  try {
    if (train) {
      const started = performance.now();
      const { syntheticFaces } = await import("../images/synthetic-faces");
      const { evaluateModel, faceDatasetFromSamples, trainModel } = await import("../training/index");
      const { recalibrateBatchNorm } = await import("./recalibrate-batch-norm");
      const trainSet = faceDatasetFromSamples(syntheticFaces(TRAIN_FACES, 101));
      const valSet = faceDatasetFromSamples(syntheticFaces(VAL_FACES, 102));
      await trainModel({
        model,
        preset: { ...spec.preset, batchSize: 32, epochs: EPOCHS, checkpoint: "last-epoch" },
        train: trainSet,
        epochs: EPOCHS,
      });
      const calibration = tf.tidy(() =>
        tf
          .tensor4d(trainSet.pixels.subarray(0, CALIBRATION_FACES * 2304), [CALIBRATION_FACES, 48, 48, 1], "float32")
          .div(255),
      ) as import("@tensorflow/tfjs").Tensor4D;
      recalibrateBatchNorm(model, calibration);
      calibration.dispose();
      const { accuracy } = await evaluateModel(model, valSet);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      options.log?.(
        `trained a demo ${MODEL_NAME} model on synthetic faces in ${seconds} s (${backend.backend}): ${(accuracy * 100).toFixed(0)}% on held-out synthetic faces`,
      );
    }
    // The demo model serves until real data arrives (lib/demo/remove-demo-data.ts), and is never a bar to beat.
    const published = await publishModelVersion(db, store, { model, modelName: MODEL_NAME, serve: "always", demo: true });
    options.log?.(
      `published ${MODEL_NAME} ${published.version} as the serving model version ${published.id}${train ? "" : " (untrained)"}`,
    );
    return published;
  } finally {
    model.dispose();
  }
}
