import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fer2013Csv, fer2013Line, makeTempDir, writeFixture } from "../../lib/datasets/testing/fixtures";
import { queryRows } from "../../lib/db/query-rows";
import { seedDemoDataset } from "../../lib/demo/seed-demo-dataset";
import { seedDemoModel } from "../../lib/demo/seed-demo-model";
import { ensureEvaluationLabelSets } from "../../lib/evaluation/evaluation-label-sets";
import { formatSummary } from "../../lib/import/import-summary";
import { importDataset } from "../../lib/import/import-dataset";
import { insertAnnotators, insertModelVersion, insertQueueImages } from "../../lib/labelling/testing/queue-fixtures";
import { pruneEmbeddings } from "../../lib/model-versions/score-model-version";
import { queueRetrainIfDue, type RetrainPolicy } from "../../lib/runs/retrain-schedule";
import type { ObjectStore } from "../../lib/storage/object-store";
import { createTestDatabase } from "../support/test-database";
import { createTestStore } from "../support/test-s3";

/** What happens around versions: the retrain schedule, embedding pruning, the demo leaving on a real import. */
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let store: ObjectStore;

beforeAll(async () => {
  [database, store] = await Promise.all([createTestDatabase(), createTestStore()]);
});
afterAll(async () => database?.drop());

const wipe = () =>
  database.db.execute(sql`truncate images, users, model_versions, annotations, training_runs, predictions, image_sources,
    evaluation_label_sets, label_leases, import_jobs, audit_log cascade`);

describe("the retrain schedule", () => {
  beforeEach(wipe);
  const policy: RetrainPolicy = { afterLabels: 5, afterHours: 24, backoffMinutes: 30, modelName: "compact", config: {} };

  async function addPeopleLabels(count: number) {
    const images = await insertQueueImages(database.db, count);
    const [ann] = await insertAnnotators(database.db, 1);
    await database.db.execute(sql`
      insert into annotations (image_id, annotator_id, source, label)
      select id, ${ann}::uuid, 'annotator', 3 from unnest(${sql.param(images)}::int[]) as t(id)`);
  }
  const finish = (runId: number, status: "failed" | "succeeded", ago = "0 seconds") =>
    database.db.execute(sql`update training_runs set status = ${status}::run_status,
      finished_at = now() - ${ago}::interval, created_at = created_at - ${ago}::interval where id = ${runId}`);

  it("never queues again right after a failed or unpromoted run on the same data, and backs off after failures", async () => {
    // A serving model from long ago, and enough labels since it.
    const serving = await insertModelVersion(database.db, { serving: true });
    await database.db.execute(sql`update model_versions set created_at = now() - interval '2 hours' where id = ${serving}`);
    await addPeopleLabels(6);
    const first = await queueRetrainIfDue(database.db, policy);
    expect(first.queued).toBe(true);
    if (!first.queued) return;

    // It fails: no new run at once (backoff), nor once the backoff is over while no new labels came.
    await finish(first.runId, "failed");
    const backingOff = await queueRetrainIfDue(database.db, policy);
    expect(backingOff).toMatchObject({ queued: false, reason: expect.stringMatching(/backing off after 1 failed/) });
    await database.db.execute(sql`update training_runs set finished_at = now() - interval '1 hour' where id = ${first.runId}`);
    expect(await queueRetrainIfDue(database.db, policy)).toMatchObject({ queued: false, reason: expect.stringMatching(/^0 new labels/) });

    // New labels since that run: a new run.
    await addPeopleLabels(5);
    const second = await queueRetrainIfDue(database.db, policy);
    expect(second.queued).toBe(true);
    if (!second.queued) return;
    // It succeeds but is not promoted (the old version still serves): again nothing until new labels arrive.
    await finish(second.runId, "succeeded");
    expect((await queueRetrainIfDue(database.db, policy)).queued).toBe(false);
  });

  it("doubles the backoff for failures in a row", async () => {
    await addPeopleLabels(6);
    for (const ago of ["3 hours", "2 hours"]) {
      const decision = await queueRetrainIfDue(database.db, { ...policy, backoffMinutes: 0 });
      expect(decision.queued).toBe(true);
      if (decision.queued) await finish(decision.runId, "failed", ago);
      await addPeopleLabels(5);
    }
    // Two failures in a row with a 90-minute base: wait 180 minutes after the last (2 hours ago).
    expect(await queueRetrainIfDue(database.db, { ...policy, backoffMinutes: 90 })).toMatchObject({
      queued: false,
      reason: expect.stringMatching(/backing off after 2 failed/),
    });
    expect((await queueRetrainIfDue(database.db, { ...policy, backoffMinutes: 50 })).queued).toBe(true);
  });
});

describe("predictions", () => {
  beforeEach(wipe);

  it("keep embeddings only for the serving version and the one before it", async () => {
    const [image] = await insertQueueImages(database.db, 1);
    const versions = [];
    for (let i = 0; i < 4; i++) versions.push(await insertModelVersion(database.db, { serving: i === 2 }));
    await database.db.execute(sql`
      insert into predictions (model_version_id, image_id, probs, predicted_label, entropy, margin, embedding)
      select v, ${image}, array[1,0,0,0,0,0,0]::real[], 0, 0, 1, array[0.5, 0.25]::real[]
      from unnest(${sql.param(versions)}::int[]) as t(v)`);
    await pruneEmbeddings(database.db);
    const rows = await queryRows<{ model_version_id: number; has: boolean }>(
      database.db,
      sql`select model_version_id, embedding is not null as has from predictions order by model_version_id`,
    );
    // Versions 1 and 2 (serving) keep theirs; 0 (older) and 3 (newer, not serving) lose them; probabilities stay.
    expect(rows.map((r) => r.has)).toEqual([false, true, true, false]);
  });
});

describe("the demo", () => {
  beforeEach(wipe);

  it("leaves on the first real import: faces, their S3 shards, the demo model (which stops serving)", async () => {
    await seedDemoDataset(database.db, store);
    const demoModel = await seedDemoModel(database.db, store, { train: false });
    expect(demoModel?.serving).toBe(true);
    await ensureEvaluationLabelSets(database.db);
    const shards = await queryRows<{ storage_key: string }>(database.db, sql`select distinct storage_key from images`);
    const [ann] = await insertAnnotators(database.db, 1);
    await database.db.execute(sql`insert into annotations (image_id, annotator_id, source, label)
      select min(id), ${ann}::uuid, 'annotator', 2 from images`);

    const tmp = await makeTempDir();
    try {
      const csv = await writeFixture(
        tmp.file("fer2013.csv"),
        fer2013Csv([fer2013Line(3, "Training", 1), fer2013Line(4, "PublicTest", 2), fer2013Line(5, "PrivateTest", 3)]),
      );
      const summary = await importDataset({ db: database.db, store, path: csv });
      expect(summary.demoRemoved).toMatchObject({ images: 560, modelVersions: 1, objectsLeft: [] });
      expect(formatSummary(summary)).toMatch(/demo removed: 560 synthetic faces and 1 demo model version/);
    } finally {
      await tmp.cleanup();
    }
    const [state] = await queryRows<{ images: number; demo_sources: number; versions: number; serving: number; labels: number; sets: number }>(
      database.db,
      sql`select (select count(*)::int from images) as images,
                 (select count(*)::int from image_sources where source = 'demo') as demo_sources,
                 (select count(*)::int from model_versions) as versions,
                 (select count(*)::int from model_versions where serving) as serving,
                 (select count(*)::int from annotations where annotator_id is not null) as labels,
                 (select count(*)::int from evaluation_label_sets) as sets`,
    );
    expect(state).toEqual({ images: 3, demo_sources: 0, versions: 0, serving: 0, labels: 0, sets: 0 });
    for (const { storage_key } of shards) await expect(store.get(storage_key)).rejects.toThrow();
    await expect(store.get(`${demoModel!.storagePrefix}model.json`)).rejects.toThrow();
  });
});
