import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, modelVersions, trainingRuns } from "../../db/schema";
import { createUser } from "../../lib/auth/create-user";
import { dataFingerprint } from "../../lib/evaluation/data-fingerprint";
import { createSnapshot } from "../../lib/snapshots/create-snapshot";
import { ZSnapshotFilter } from "../../lib/snapshots/snapshot-filter";
import { queryRows } from "../../lib/db/query-rows";
import { seedDemoDataset } from "../../lib/demo/seed-demo-dataset";
import { compareModelVersions } from "../../lib/model-versions/compare-model-versions";
import { getLeaderboard } from "../../lib/model-versions/leaderboard";
import { promoteModelVersion } from "../../lib/model-versions/promote-model-version";
import { loadTestPredictions, storeTestPredictions } from "../../lib/model-versions/test-predictions";
import { getVersionReport } from "../../lib/model-versions/version-report";
import { getRun } from "../../lib/runs/list-runs";
import { defaultRetrainSettings, getRetrainSettings, saveRetrainSettings, toRetrainPolicy } from "../../lib/runs/retrain-settings";
import { claimRun, finishRun, requestCancel, retryRun } from "../../lib/runs/run-queue";
import { startRun, ZStartRunRequest } from "../../lib/runs/start-run";
import type { ObjectStore } from "../../lib/storage/object-store";
import { selectBackend } from "../../lib/tf/select-backend";
import { classificationMetrics } from "../../lib/training/classification-metrics";
import { runTrainingJob } from "../../trainer/run-training-job";
import { createTestDatabase } from "../support/test-database";
import { createTestStore } from "../support/test-s3";

const QUICK = { preset: "fast", epochs: 2, maxTrainImages: 128, labelPolicy: "original" } as const;

describe("the researcher's workflow", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: ObjectStore;
  let researcher: string;
  const versions: number[] = [];

  beforeAll(async () => {
    await selectBackend({ prefer: "wasm" });
    [database, store] = await Promise.all([createTestDatabase(), createTestStore()]);
    await seedDemoDataset(database.db, store);
    researcher = (await createUser(database.db, { email: "r@example.com", name: "R", passwordHash: null })).id;
    // Two runs started as the /runs form starts them, trained by the trainer's own job.
    for (const seed of [3, 4]) {
      const request = ZStartRunRequest.parse({ modelName: "compact", config: { ...QUICK, seed } });
      const runId = await startRun(database.db, request, researcher);
      const run = await claimRun(database.db, runId, "w");
      expect(await runTrainingJob({ db: database.db, store, workerId: "w", heartbeatMs: 500 }, run!)).toBe("succeeded");
      const [version] = await database.db.select().from(modelVersions).where(eq(modelVersions.runId, runId));
      versions.push(version.id);
    }
  }, 900_000);
  afterAll(async () => database?.drop());

  it("stores each version's test predictions, and the leaderboard's numbers are what they recompute to", async () => {
    const board = await getLeaderboard(database.db, { sort: "accuracy", page: 1, pageSize: 25 });
    expect(board.total).toBe(2);
    for (const row of board.rows) {
      const stored = await loadTestPredictions(database.db, row.id);
      expect(stored.imageIds).toHaveLength(70); // the demo's test faces
      const recomputed = classificationMetrics(stored.probabilities, stored.labels);
      expect(row.testCount).toBe(recomputed.count);
      expect(row.accuracy).toBe(recomputed.accuracy);
      expect(row.macroF1).toBe(recomputed.macroF1);
      expect(row.ece).toBeCloseTo(recomputed.ece, 6);
      expect(row.recall).toEqual(recomputed.perClass.map((c) => c.recall));
      // The labels are the test split's labels under the run's policy, and the fingerprint names them.
      const truth = await queryRows<{ image_id: number; label: number }>(
        database.db,
        sql`select i.id as image_id, s.original_label as label from images i join image_sources s on s.image_id = i.id
            where i.split = 'test' order by i.id`,
      );
      expect(stored.labels).toEqual(truth.map((t) => t.label));
      expect(row.testSetFingerprint).toMatch(/^sha256:[0-9a-f]{16}$/);
      expect(row.comparable).toBe(true);
      expect(row.backend).toBe("wasm");
      expect(row.trainingSeconds).toBeGreaterThan(0);
      let bytes = 0;
      const [version] = await database.db.select().from(modelVersions).where(eq(modelVersions.id, row.id));
      for await (const object of store.list(version.storagePrefix)) bytes += object.size;
      expect(row.weightBytes).toBe(bytes);
    }
    const accuracies = board.rows.map((r) => r.accuracy!);
    expect(accuracies).toEqual([...accuracies].sort((x, y) => y - x));
    expect(board.rows.map((r) => r.rank)).toEqual([1, 2]);
    const ascending = await getLeaderboard(database.db, { sort: "accuracy", dir: "asc", page: 1, pageSize: 1 });
    expect(ascending.rows).toHaveLength(1);
    expect(ascending.rows[0].accuracy).toBe(Math.min(...accuracies));
  });

  it("marks a version measured on another test and does not rank it", async () => {
    const stored = await loadTestPredictions(database.db, versions[0]);
    const [copy] = await database.db
      .insert(modelVersions)
      .values({ modelName: "compact", version: "other-test", storagePrefix: "models/compact/other-test/", publishedAt: new Date(), testMetrics: { accuracy: 0.99 } })
      .returning({ id: modelVersions.id });
    await storeTestPredictions(database.db, copy.id, {
      imageIds: stored.imageIds.slice(0, 30),
      labels: stored.labels.slice(0, 30),
      probabilities: stored.probabilities.slice(0, 30 * 7),
    });
    const board = await getLeaderboard(database.db, { sort: "accuracy", page: 1, pageSize: 25 });
    const other = board.rows.find((r) => r.id === copy.id)!;
    expect(other).toMatchObject({ comparable: false, rank: null });
    expect(board.rows[board.rows.length - 1].id).toBe(copy.id); // listed after the ranked ones despite its 99 %
    await database.db.delete(modelVersions).where(eq(modelVersions.id, copy.id));
  });

  it("reports a version from its stored predictions: confusion, reliability and the most confident mistakes", async () => {
    const report = (await getVersionReport(database.db, versions[0]))!;
    expect(report.metrics.confusion.flat().reduce((a, b) => a + b, 0)).toBe(70);
    expect(report.reliability.reduce((n, bin) => n + bin.count, 0)).toBe(70);
    const mistakes = 70 - report.metrics.confusion.reduce((n, row, c) => n + row[c], 0);
    expect(report.hardest).toHaveLength(Math.min(24, mistakes));
    for (const item of report.hardest) expect(item.predicted).not.toBe(item.label);
    const confidences = report.hardest.map((h) => h.confidence);
    expect(confidences).toEqual([...confidences].sort((x, y) => y - x));
  });

  it("compares two versions on their paired predictions with McNemar's test", async () => {
    const comparison = (await compareModelVersions(database.db, versions[0], versions[1]))!;
    expect(comparison).toMatchObject({ paired: 70, sameTest: true });
    const [a, b] = [await loadTestPredictions(database.db, versions[0]), await loadTestPredictions(database.db, versions[1])];
    const predicted = (set: typeof a, i: number) => {
      const row = Array.from(set.probabilities.subarray(i * 7, i * 7 + 7));
      return row.indexOf(Math.max(...row));
    };
    let onlyA = 0;
    let onlyB = 0;
    let changed = 0;
    for (let i = 0; i < 70; i++) {
      const [pa, pb, y] = [predicted(a, i), predicted(b, i), a.labels[i]];
      if (pa === y && pb !== y) onlyA++;
      if (pa !== y && pb === y) onlyB++;
      if (pa !== pb) changed++;
    }
    expect(comparison.mcnemar).toMatchObject({ b: onlyA, c: onlyB });
    expect(comparison.changedCount).toBe(changed);
    expect(comparison.a.accuracy - comparison.b.accuracy).toBeCloseTo((onlyA - onlyB) / 70, 10);
  });

  it("promotes and rolls back with who and why in the audit log", async () => {
    const [first, second] = versions;
    await database.db.update(modelVersions).set({ serving: false });
    expect(await promoteModelVersion(database.db, { versionId: second, actorId: researcher, reason: "better macro-F1" })).toEqual({
      from: null,
      to: second,
      action: "promoted",
    });
    expect(await promoteModelVersion(database.db, { versionId: first, actorId: researcher, reason: "second one drifts" })).toEqual({
      from: second,
      to: first,
      action: "rolled_back",
    });
    await expect(promoteModelVersion(database.db, { versionId: first, actorId: researcher, reason: "again" })).rejects.toThrow(/already serving/);
    await expect(promoteModelVersion(database.db, { versionId: 999_999, actorId: researcher, reason: "none" })).rejects.toThrow(/no model version/);
    const serving = await database.db.select({ id: modelVersions.id }).from(modelVersions).where(eq(modelVersions.serving, true));
    expect(serving).toEqual([{ id: first }]);
    const events = await database.db.select().from(auditLog).where(sql`${auditLog.action} like 'model.%'`).orderBy(auditLog.id);
    expect(events.map((e) => [e.action, e.actorId, (e.details as { reason: string }).reason])).toEqual([
      ["model.promoted", researcher, "better macro-F1"],
      ["model.rolled_back", researcher, "second one drifts"],
    ]);
  });

  it("keeps each run's log, refuses bad run requests, and retries only failed or cancelled runs", async () => {
    const [runRow] = await database.db.select().from(trainingRuns).orderBy(trainingRuns.id).limit(1);
    const run = (await getRun(database.db, runRow.id))!;
    expect(run.log).toMatch(/tfjs backend wasm/);
    expect(run.log).toMatch(/published compact/);
    expect(run.curves[0].trainLoss).toBeGreaterThan(0);
    expect(await retryRun(database.db, run.id, researcher)).toBeNull(); // it succeeded

    expect(ZStartRunRequest.safeParse({ modelName: "nope", config: {} }).success).toBe(false);
    const bad = ZStartRunRequest.safeParse({ modelName: "compact", config: { hyperparameters: { batchSize: 0 } } });
    expect(bad.error?.issues[0].path).toEqual(["config", "hyperparameters", "batchSize"]);

    const queued = await startRun(database.db, ZStartRunRequest.parse({ modelName: "compact", config: { epochs: 1 } }), researcher);
    expect(await retryRun(database.db, queued, researcher)).toBeNull();
    expect(await requestCancel(database.db, queued)).toBe(true);
    expect(await requestCancel(database.db, queued)).toBe(false);
    const retried = (await retryRun(database.db, queued, researcher))!;
    const claimed = await claimRun(database.db, retried, "w");
    expect(claimed).toMatchObject({ modelName: "compact", config: { epochs: 1, preset: "seed", serve: "never" } });
    await finishRun(database.db, retried, "w", { status: "failed", error: "boom", logLines: ["it broke"] });
    expect((await getRun(database.db, retried))!.log).toBe("it broke\n");
    expect(await retryRun(database.db, retried, researcher)).not.toBeNull();
  });

  it("lets the retrain schedule be changed, each change in the audit log, and the trainer follow it", async () => {
    const defaults = defaultRetrainSettings({ RETRAIN_AFTER_LABELS: 500, RETRAIN_AFTER_HOURS: 168 });
    expect(await getRetrainSettings(database.db, defaults)).toMatchObject({ ...defaults, saved: false });
    const changed = { ...defaults, afterLabels: 50, labelPolicy: "original" as const, enabled: false };
    await saveRetrainSettings(database.db, changed, researcher, defaults);
    const saved = await getRetrainSettings(database.db, defaults);
    expect(saved).toMatchObject({ ...changed, saved: true, updatedBy: researcher });
    expect(toRetrainPolicy(saved, 30)).toBeNull();
    expect(toRetrainPolicy({ ...saved, enabled: true }, 30)).toMatchObject({ afterLabels: 50, config: { labelPolicy: "original" } });
    const [event] = await database.db.select().from(auditLog).where(eq(auditLog.action, "retrain_schedule.changed"));
    expect(event.details).toMatchObject({ from: { afterLabels: 500, enabled: true }, to: { afterLabels: 50, enabled: false } });
  });
  it("trains on a dataset snapshot's frozen faces and labels when a run names one, and refuses one it cannot use", async () => {
    const snapshot = await createSnapshot(
      database.db,
      { name: "train and val", filter: ZSnapshotFilter.parse({ splits: ["train", "val"], labelMethod: "original" }) },
      researcher,
    );
    // Labels given after the snapshot was made must not reach the run: relabel a frozen train face in the live set.
    const [frozen] = await queryRows<{ image_id: number; label: number }>(
      database.db,
      sql`select image_id, label from dataset_snapshot_items where snapshot_id = ${snapshot.id} and split = 'train'
          order by position limit 1`,
    );
    await database.db.execute(
      sql`update annotations set label = ${(frozen.label + 1) % 7} where image_id = ${frozen.image_id} and annotator_id is null`,
    );

    const request = ZStartRunRequest.parse({ modelName: "compact", config: { ...QUICK, snapshotId: snapshot.id } });
    const runId = await startRun(database.db, request, researcher);
    const run = await claimRun(database.db, runId, "w");
    expect(await runTrainingJob({ db: database.db, store, workerId: "w", heartbeatMs: 500 }, run!)).toBe("succeeded");
    const [version] = await database.db.select().from(modelVersions).where(eq(modelVersions.runId, runId));
    expect(version.labelPolicy).toBe(`snapshot v${snapshot.version} (original)`);
    // The run trained on exactly the snapshot's first train faces (QUICK caps them), with the labels frozen in it.
    const items = await queryRows<{ image_id: number; label: number }>(
      database.db,
      sql`select image_id, label from dataset_snapshot_items where snapshot_id = ${snapshot.id} and split = 'train'
          order by position limit ${QUICK.maxTrainImages}`,
    );
    const expected = dataFingerprint(
      items.map((i) => i.image_id),
      items.map((i) => i.label),
    );
    expect(version.trainFingerprint).toEqual(expected);
    expect((await getRun(database.db, runId))!.log).toMatch(new RegExp(`snapshot v${snapshot.version} \\(original\\) labels`));

    // It is measured on the frozen test split like every other version, so it is ranked with them.
    const board = await getLeaderboard(database.db, { sort: "accuracy", page: 1, pageSize: 25 });
    expect(board.rows.find((r) => r.id === version.id)).toMatchObject({ comparable: true, labelPolicy: version.labelPolicy });

    await expect(
      startRun(database.db, ZStartRunRequest.parse({ modelName: "compact", config: { snapshotId: 999_999 } }), researcher),
    ).rejects.toThrow(/there is no dataset snapshot 999999/);
    const testOnly = await createSnapshot(database.db, { name: "test only", filter: ZSnapshotFilter.parse({ splits: ["test"] }) }, researcher);
    await expect(
      startRun(database.db, ZStartRunRequest.parse({ modelName: "compact", config: { snapshotId: testOnly.id } }), researcher),
    ).rejects.toThrow(/has no train split/);
  }, 600_000);
});
