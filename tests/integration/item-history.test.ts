import * as tf from "@tensorflow/tfjs";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { annotations, predictions, users, voteCounts } from "../../db/schema";
import { queryRows } from "../../lib/db/query-rows";
import { seedDemoDataset } from "../../lib/demo/seed-demo-dataset";
import { seedDemoModel } from "../../lib/demo/seed-demo-model";
import { getItemHistory } from "../../lib/labelling-history/get-item-history";
import { getModelVersion, getServingModelVersion } from "../../lib/model-versions/get-model-version";
import { loadModelFiles } from "../../lib/model-versions/model-files";
import type { ObjectStore } from "../../lib/storage/object-store";
import { createTestDatabase } from "../support/test-database";
import { createTestStore } from "../support/test-s3";

describe("a face's history and the demo model", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: ObjectStore;

  beforeAll(async () => {
    await tf.setBackend("cpu");
    [database, store] = await Promise.all([createTestDatabase(), createTestStore()]);
    await seedDemoDataset(database.db, store);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("publishes a serving compact model for the demo faces, once", async () => {
    const published = await seedDemoModel(database.db, store, { train: false });
    expect(published?.serving).toBe(true);
    const serving = await getServingModelVersion(database.db);
    expect(serving).toMatchObject({ id: published!.id, modelName: "compact" });
    const model = await loadModelFiles(store, serving!.storagePrefix);
    expect(model.outputs[0].shape).toEqual([null, 7]);
    model.dispose();
    expect(await getModelVersion(database.db, published!.id)).toMatchObject({
      serving: true,
      storagePrefix: serving!.storagePrefix,
    });
    expect(await getModelVersion(database.db, published!.id + 1000)).toBeNull();
    expect(await seedDemoModel(database.db, store, { train: false })).toBeNull();
  });

  it("gathers sources, every label with who/when/duration/suggestion, votes and predictions", async () => {
    const { db } = database;
    const [{ id: imageId }] = await queryRows<{ id: number }>(db, sql`select min(id)::int as id from images`);
    const serving = (await getServingModelVersion(db))!;
    const [ana, ben] = await db
      .insert(users)
      .values([
        { email: "ana@example.org", name: "Ana" },
        { email: "ben@example.org", name: null },
      ])
      .returning({ id: users.id });
    await db.insert(annotations).values([
      {
        imageId,
        annotatorId: ana.id,
        source: "person",
        label: 3,
        durationMs: 1200,
        suggestedLabel: 3,
        suggestionModelVersionId: serving.id,
        clientRequestId: "r1",
      },
      {
        imageId,
        annotatorId: ben.id,
        source: "person",
        label: -1,
        durationMs: 800,
        blind: true,
        clientRequestId: "r2",
      },
    ]);
    await db.insert(voteCounts).values({
      imageId,
      source: "ferplus",
      sourceRef: "fer0000001.png",
      counts: [0, 0, 1, 6, 0, 2, 1],
      rawCounts: [1, 6, 2, 0, 0, 0, 1, 0, 0, 0],
      totalVotes: 10,
    });
    const probs = [0.05, 0.05, 0.1, 0.5, 0.1, 0.1, 0.1];
    await db
      .insert(predictions)
      .values({ modelVersionId: serving.id, imageId, probs, predictedLabel: 3, entropy: 1.5, margin: 0.4 });

    const item = await getItemHistory(db, imageId);
    expect(item).not.toBeNull();
    expect(item!.sources).toEqual([expect.objectContaining({ source: "demo", declaredSplit: "train" })]);
    // The dataset's own label first, then the two people in order.
    expect(item!.annotations.map((a) => [a.source, a.annotator?.name ?? null, a.label])).toEqual([
      ["demo", null, item!.sources[0].originalLabel],
      ["person", "Ana", 3],
      ["person", null, -1],
    ]);
    const [, anas, bens] = item!.annotations;
    expect(anas).toMatchObject({
      durationMs: 1200,
      blind: false,
      suggestion: { label: 3, modelVersionId: serving.id, modelName: "compact" },
    });
    expect(anas.annotator).toEqual({ id: ana.id, name: "Ana", email: "ana@example.org" });
    expect(bens).toMatchObject({ durationMs: 800, blind: true, suggestion: null });
    expect(item!.people).toEqual({ counts: [0, 0, 0, 1, 0, 0, 0], notFace: 1 });
    expect(item!.votes).toEqual([
      { source: "ferplus", counts: [0, 0, 1, 6, 0, 2, 1], notFaceVotes: 0, totalVotes: 10 },
    ]);
    expect(item!.predictions).toHaveLength(1);
    expect(item!.predictions[0]).toMatchObject({
      modelVersionId: serving.id,
      modelName: "compact",
      serving: true,
      predictedLabel: 3,
    });
    expect(item!.predictions[0].probs[3]).toBeCloseTo(0.5, 5);
  });

  it("answers null for a face that does not exist", async () => {
    expect(await getItemHistory(database.db, 987_654)).toBeNull();
  });
});
