import { spawn } from "node:child_process";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { modelVersions, predictions, trainingRuns } from "../../db/schema";
import { queryRows } from "../../lib/db/query-rows";
import { seedDemoDataset } from "../../lib/demo/seed-demo-dataset";
import { readFaces } from "../../lib/images/face-shards";
import { getImage } from "../../lib/images/get-image";
import { getModelSpec } from "../../lib/models";
import { loadModelFiles, MODEL_JSON } from "../../lib/model-versions/model-files";
import { scoreModelVersion } from "../../lib/model-versions/score-model-version";
import { publishModelVersion } from "../../lib/model-versions/publish-model-version";
import { claimNextRun, claimRun, enqueueRun, reopenRun, requestCancel } from "../../lib/runs/run-queue";
import type { ObjectStore } from "../../lib/storage/object-store";
import { selectBackend } from "../../lib/tf/select-backend";
import { runTrainingJob } from "../../trainer/run-training-job";
import { createTestDatabase } from "../support/test-database";
import { createTestStore } from "../support/test-s3";

/** A quick run of the compact model on the synthetic demo faces. */
const QUICK = { preset: "fast", epochs: 2, maxTrainImages: 128, seed: 7 };

describe("the trainer service", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: ObjectStore;

  beforeAll(async () => {
    await selectBackend({ prefer: "wasm" });
    [database, store] = await Promise.all([createTestDatabase(), createTestStore()]);
    await seedDemoDataset(database.db, store);
  });
  afterAll(async () => database?.drop());

  it("hands each queued run to exactly one of several concurrent workers", async () => {
    const ids = await Promise.all(Array.from({ length: 6 }, () => enqueueRun(database.db, { modelName: "compact", config: QUICK })));
    const claims = await Promise.all(
      Array.from({ length: 12 }, (_, w) => claimNextRun(database.db, { workerId: `w${w}`, staleAfterMs: 60_000, maxAttempts: 3 })),
    );
    const claimed = claims.filter((c) => c !== null).map((c) => c!.id);
    expect(claimed.sort()).toEqual(ids.sort());
    await database.db.delete(trainingRuns);
  });

  it("cancels a queued run at once and never hands it out", async () => {
    const id = await enqueueRun(database.db, { modelName: "compact", config: QUICK });
    await requestCancel(database.db, id);
    expect(await claimNextRun(database.db, { workerId: "w", staleAfterMs: 60_000, maxAttempts: 3 })).toBeNull();
    const [row] = await database.db.select().from(trainingRuns).where(eq(trainingRuns.id, id));
    expect(row.status).toBe("cancelled");
  });

  it("trains, evaluates on the frozen test split, publishes a loadable model and scores the pool", async () => {
    const id = await enqueueRun(database.db, { modelName: "compact", config: QUICK });
    const run = await claimNextRun(database.db, { workerId: "w1", staleAfterMs: 60_000, maxAttempts: 3 });
    expect(run?.id).toBe(id);
    const outcome = await runTrainingJob({ db: database.db, store, workerId: "w1", heartbeatMs: 1000 }, run!);
    expect(outcome).toBe("succeeded");

    const [row] = await database.db.select().from(trainingRuns).where(eq(trainingRuns.id, id));
    expect(row.status).toBe("succeeded");
    expect((row.curves as unknown[]).length).toBe(2);
    const [version] = await database.db.select().from(modelVersions).where(eq(modelVersions.runId, id));
    // It serves only if it clears the floors (a two-epoch run on 128 faces may not), and says why either way.
    const val = version.valMetrics as { accuracy: number; macroF1: number; majorityClassRate: number; protocol: string };
    expect(val.protocol).toBe("per-face");
    expect(version.serving).toBe(val.accuracy > val.majorityClassRate && val.macroF1 >= 0.25);
    expect((version.promotion as { reason: string }).reason).toMatch(/\w/);
    expect(version.labelPolicy).toBe("original");
    expect(version.valFingerprint).toMatchObject({ count: 70 });
    expect(version.trainFingerprint).toMatchObject({ count: 128 });
    expect(version.scoringStatus).toBe("succeeded");
    const test = version.testMetrics as { count: number; confusion: number[][]; accuracy: number; labels: string };
    expect(test.count).toBe(70); // the demo's 70 test faces, never trained on
    expect(test.labels).toBe("original v1"); // measured against the frozen label set
    expect(test.confusion.flat().reduce((a, b) => a + b, 0)).toBe(70);

    // Every active image scored by the new version.
    const [{ n }] = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from predictions where model_version_id = ${version.id}`,
    );
    expect(n).toBe(560);

    // The published files load with the ordinary tfjs loader over HTTP and predict what the trainer stored.
    const url = await store.presignGet(`${version.storagePrefix}${MODEL_JSON}`, 600);
    const signed = new Map<string, string>();
    for await (const object of store.list(version.storagePrefix)) {
      signed.set(path.basename(object.key), await store.presignGet(object.key, 600));
    }
    const loaded = await tf.loadLayersModel(tf.io.http(url, { weightUrlConverter: async (name) => signed.get(path.basename(name))! }));
    const stored = await database.db
      .select({ imageId: predictions.imageId, probs: predictions.probs })
      .from(predictions)
      .where(eq(predictions.modelVersionId, version.id))
      .limit(8);
    const faces = await readFaces(store, await Promise.all(stored.map(async (s) => (await getImage(database.db, s.imageId))!)));
    const input = tf.tidy(() =>
      tf.stack(faces.map((f) => tf.tensor3d(Float32Array.from(f, (v) => v / 255), [48, 48, 1]))),
    );
    const output = loaded.predict(input) as tf.Tensor;
    const probs = (await output.array()) as number[][];
    tf.dispose([input, output]);
    loaded.dispose();
    stored.forEach((s, i) => s.probs.forEach((p, c) => expect(probs[i][c]).toBeCloseTo(p, 4)));
  });

  it("publishes nothing when writing the model fails part way", async () => {
    const before = await database.db.$count(modelVersions);
    let puts = 0;
    const failing: ObjectStore = Object.create(store, {
      put: {
        value: async (...args: Parameters<ObjectStore["put"]>) => {
          if (++puts === 2) throw new Error("disk full");
          return store.put(...args);
        },
      },
    });
    const model = getModelSpec("compact").build();
    await expect(publishModelVersion(database.db, failing, { model, modelName: "compact" })).rejects.toThrow("disk full");
    model.dispose();
    expect(await database.db.$count(modelVersions)).toBe(before);
  });

  it("stops at the next batch when interrupted (Ctrl-C), checkpoints mid-epoch, and resumes from that batch", async () => {
    const id = await enqueueRun(database.db, { modelName: "compact", config: QUICK });
    const run = await claimNextRun(database.db, { workerId: "w-int", staleAfterMs: 60_000, maxAttempts: 3 });
    const interrupt = new AbortController();
    const logs: string[] = [];
    const outcome = await runTrainingJob(
      {
        db: database.db,
        store,
        workerId: "w-int",
        heartbeatMs: 1000,
        interrupt: interrupt.signal,
        log: (m) => logs.push(m),
        // Ctrl-C during the first batch of epoch 1 (128 faces: two batches of 64).
        onProgress: (p) => {
          if (p.phase === "training" && p.epoch === 1 && p.batch === 1) interrupt.abort();
        },
      },
      run!,
    );
    expect(outcome).toBe("interrupted");
    const [stopped] = await database.db.select().from(trainingRuns).where(eq(trainingRuns.id, id));
    expect(stopped.status).toBe("cancelled");
    expect(stopped.lastCheckpointKey).toMatch(/epoch-0001-batch-000001\/$/);
    expect(stopped.error).toContain(`npm run train -- --resume ${id}`);
    expect(await database.db.$count(modelVersions, eq(modelVersions.runId, id))).toBe(0);

    expect(await reopenRun(database.db, id)).toBe(true);
    const again = await claimRun(database.db, id, "w-int2");
    const resumedLogs: string[] = [];
    expect(await runTrainingJob({ db: database.db, store, workerId: "w-int2", heartbeatMs: 1000, log: (m) => resumedLogs.push(m) }, again!)).toBe(
      "succeeded",
    );
    expect(resumedLogs.join("\n")).toMatch(/resuming after epoch 0, batch 1 of epoch 1/);
    const [row] = await database.db.select().from(trainingRuns).where(eq(trainingRuns.id, id));
    expect((row.curves as { epoch: number }[]).map((c) => c.epoch)).toEqual([1, 2]);
  });

  it("records a scoring failure on the version, not the run, and scoring can be rerun", async () => {
    const id = await enqueueRun(database.db, { modelName: "compact", config: QUICK });
    const run = await claimNextRun(database.db, { workerId: "w-score", staleAfterMs: 60_000, maxAttempts: 3 });
    let broken = false;
    const fail = () => Promise.reject(new Error("S3 unreachable"));
    // Reads fail once the version is published (scoring reads every face again).
    const flaky: ObjectStore = Object.create(store, {
      get: { value: (...args: Parameters<ObjectStore["get"]>) => (broken ? fail() : store.get(...args)) },
      getRange: { value: (...args: Parameters<ObjectStore["getRange"]>) => (broken ? fail() : store.getRange(...args)) },
    });
    const outcome = await runTrainingJob(
      { db: database.db, store: flaky, workerId: "w-score", heartbeatMs: 1000, log: (m) => (broken ||= /published/.test(m)) },
      run!,
    );
    expect(outcome).toBe("succeeded");
    const [version] = await database.db.select().from(modelVersions).where(eq(modelVersions.runId, id));
    expect(version).toMatchObject({ scoringStatus: "failed", scoringError: expect.stringContaining("S3 unreachable") });
    const [row] = await database.db.select().from(trainingRuns).where(eq(trainingRuns.id, id));
    expect(row.status).toBe("succeeded");

    const model = await loadModelFiles(store, version.storagePrefix);
    expect(await scoreModelVersion(database.db, store, model, version.id)).toMatchObject({ status: "succeeded", scored: 560 });
    model.dispose();
    const [rescored] = await database.db.select().from(modelVersions).where(eq(modelVersions.id, version.id));
    expect(rescored.scoringStatus).toBe("succeeded");
  });

  it("resumes a run from its last checkpoint after its worker was killed", async () => {
    const id = await enqueueRun(database.db, { modelName: "compact", config: { ...QUICK, epochs: 3 } });
    // A real worker process, killed as soon as its first checkpoint is recorded.
    const child = spawn(process.execPath, ["--import", "tsx", "tests/support/run-one-training-job.ts", String(id)], {
      env: {
        ...process.env,
        TEST_DATABASE_URL: database.url,
        TEST_WS_PROXY: inject("postgresWsProxy"),
        TEST_S3_ENDPOINT: inject("s3").endpoint,
        TEST_S3_BUCKET: store.bucket,
      },
      stdio: "inherit",
    });
    const checkpoint = await waitFor(async () => {
      const [row] = await database.db.select().from(trainingRuns).where(eq(trainingRuns.id, id));
      return row?.lastCheckpointKey ?? null;
    }, 120_000);
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    expect(checkpoint).toMatch(/epoch-0001\/$/);

    // The run looks stale at once to a worker that waits 0 s for heartbeats, and continues from epoch 2.
    const run = await claimNextRun(database.db, { workerId: "w2", staleAfterMs: 0, maxAttempts: 3 });
    expect(run).toMatchObject({ id, attempts: 2, lastCheckpointKey: checkpoint });
    const logs: string[] = [];
    const outcome = await runTrainingJob({ db: database.db, store, workerId: "w2", heartbeatMs: 1000, log: (m) => logs.push(m) }, run!);
    expect(outcome).toBe("succeeded");
    expect(logs.join("\n")).toMatch(/resuming after epoch 1/);
    expect(logs.some((l) => /epoch 1\/3/.test(l))).toBe(false);
    const [row] = await database.db.select().from(trainingRuns).where(eq(trainingRuns.id, id));
    expect((row.curves as { epoch: number }[]).map((c) => c.epoch)).toEqual([1, 2, 3]);
  });
});

async function waitFor<T>(probe: () => Promise<T | null>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== null) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("timed out");
}
