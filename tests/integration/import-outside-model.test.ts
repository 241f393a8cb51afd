import * as tf from "@tensorflow/tfjs";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modelVersions } from "../../db/schema";
import { seedDemoDataset } from "../../lib/demo/seed-demo-dataset";
import { FOLDER_ORDER, emotionIndex } from "../../lib/emotions";
import { importOutsideModel, ZImportOptions } from "../../lib/model-versions/import-outside-model";
import { loadTestPredictions } from "../../lib/model-versions/test-predictions";
import { claimRun } from "../../lib/runs/run-queue";
import type { ObjectStore } from "../../lib/storage/object-store";
import { selectBackend } from "../../lib/tf/select-backend";
import { loadFaceDataset } from "../../lib/training-data/load-face-dataset";
import { predictProbabilities } from "../../lib/training/evaluate";
import { runTrainingJob } from "../../trainer/run-training-job";
import { createTestDatabase } from "../support/test-database";
import { createTestStore } from "../support/test-s3";

/** A small net whose softmax comes out in `order`: the same weights as `canonical`, output columns permuted. */
function tinyModel(seed: number, inputShape: number[] = [48, 48, 1], classes = 7): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.averagePooling2d({ inputShape, poolSize: 6 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: classes, activation: "softmax", kernelInitializer: tf.initializers.randomNormal({ seed, stddev: 3 }) }));
  return model;
}

/** Copies `canonical`'s weights into a new net whose output i is canonical class FOLDER_ORDER[i]. */
function inAlphabeticalOrder(canonical: tf.Sequential): tf.Sequential {
  const permuted = tinyModel(99);
  const [kernel, bias] = canonical.layers[2].getWeights();
  const columns = FOLDER_ORDER.map((name) => emotionIndex(name));
  permuted.layers[2].setWeights([tf.gather(kernel, columns, 1), tf.gather(bias, columns)]);
  return permuted;
}

/** model.json and a weight file under a name of the maker's choosing, as a maker's tfjs save writes them. */
async function filesOf(model: tf.LayersModel, weightsName = "my-weights.bin"): Promise<Map<string, Uint8Array>> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } })));
  const json = { format: "layers-model", modelTopology: artifacts!.modelTopology, weightsManifest: [{ paths: [weightsName], weights: artifacts!.weightSpecs }] };
  return new Map([
    ["model.json", new TextEncoder().encode(JSON.stringify(json))],
    [weightsName, new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts!.weightData!))],
  ]);
}

describe("importing an outside model", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: ObjectStore;

  beforeAll(async () => {
    await selectBackend({ prefer: "wasm" });
    [database, store] = await Promise.all([createTestDatabase(), createTestStore()]);
    await seedDemoDataset(database.db, store);
  }, 120_000);
  afterAll(async () => database?.drop());

  it("stores a model given in alphabetical order and evaluates it with its outputs converted to canonical order", async () => {
    const canonical = tinyModel(7);
    const outside = inAlphabeticalOrder(canonical);
    const options = ZImportOptions.parse({ name: "tiny-alpha", classOrder: "alphabetical" });
    const imported = await importOutsideModel(database.db, store, await filesOf(outside), options, null);
    expect(imported).toMatchObject({ format: "layers-model", classOrder: FOLDER_ORDER, paramCount: 64 * 7 + 7 });

    // The trainer service evaluates it as the queued run says.
    const run = await claimRun(database.db, imported.evaluationRunId, "w");
    expect(await runTrainingJob({ db: database.db, store, workerId: "w", heartbeatMs: 1000 }, run!)).toBe("succeeded");

    // Its stored per-face test predictions are the canonical net's own, face for face.
    const test = await loadFaceDataset(database.db, store, "test", { policy: "original" });
    const expected = await predictProbabilities(canonical, test.dataset.pixels);
    const stored = await loadTestPredictions(database.db, imported.modelVersionId);
    expect(stored.imageIds).toEqual([...test.imageIds].sort((a, b) => a - b));
    const byId = new Map(test.imageIds.map((id, i) => [id, i]));
    stored.imageIds.forEach((id, k) => {
      const i = byId.get(id)!;
      for (let c = 0; c < 7; c++) expect(stored.probabilities[k * 7 + c]).toBeCloseTo(expected[i * 7 + c], 5);
    });
    const [version] = await database.db.select().from(modelVersions).where(eq(modelVersions.id, imported.modelVersionId));
    expect(version).toMatchObject({ origin: "imported", modelName: "outside-tiny-alpha", serving: false });
    expect((version.testMetrics as { count: number }).count).toBe(70);
    expect(version.testSetFingerprint).toMatch(/^sha256:/);
    expect(version.weightBytes).toBeGreaterThan((64 * 7 + 7) * 4);

    // Our own file names, so the version is served and zipped like any other.
    const keys: string[] = [];
    for await (const object of store.list(version.storagePrefix)) keys.push(object.key.slice(version.storagePrefix.length));
    expect(keys.sort()).toEqual(["group1-shard1of1.bin", "model.json"]);

    // Stating the wrong order would have scored other predictions: the conversion is what made them match.
    const wrong = await importOutsideModel(database.db, store, await filesOf(outside), { ...options, name: "tiny-wrong", classOrder: "fer2013" }, null);
    await runTrainingJob({ db: database.db, store, workerId: "w", heartbeatMs: 1000 }, (await claimRun(database.db, wrong.evaluationRunId, "w"))!);
    const wrongStored = await loadTestPredictions(database.db, wrong.modelVersionId);
    expect(Array.from(wrongStored.probabilities)).not.toEqual(Array.from(stored.probabilities));
    canonical.dispose();
    outside.dispose();
  });

  it("refuses files that are not a 48x48x1 model with 7 outputs, and stores nothing", async () => {
    const before = await database.db.$count(modelVersions);
    const options = ZImportOptions.parse({ name: "bad", classOrder: "fer2013" });
    await expect(importOutsideModel(database.db, store, await filesOf(tinyModel(1, [64, 64, 1])), options, null)).rejects.toThrow(/48x48x1/);
    await expect(importOutsideModel(database.db, store, await filesOf(tinyModel(1, [48, 48, 1], 5)), options, null)).rejects.toThrow(/7 class scores/);
    const files = await filesOf(tinyModel(1));
    files.delete("my-weights.bin");
    await expect(importOutsideModel(database.db, store, files, options, null)).rejects.toThrow(/my-weights.bin .* was not uploaded/);
    await expect(importOutsideModel(database.db, store, new Map([["model.json", new TextEncoder().encode("{")]]), options, null)).rejects.toThrow(/not valid JSON/);
    expect(ZImportOptions.safeParse({ name: "x", classOrder: "happy,sad" }).success).toBe(false);
    expect(await database.db.$count(modelVersions)).toBe(before);
  });
});
