import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { queryRows } from "../../lib/db/query-rows";
import { isBlindItem } from "../../lib/labelling/blind-choice";
import { claimLabelItems, type LabelBatch } from "../../lib/labelling/claim-label-items";
import type { LabelStrategy } from "../../lib/labelling/label-strategies";
import { rebuildMislabelScores } from "../../lib/labelling/mislabel-scores";
import type { QueueSettings } from "../../lib/labelling/queue-settings";
import { saveAnnotation } from "../../lib/labelling/save-annotation";
import {
  expireLeases,
  insertAnnotators,
  insertFerPlusVotes,
  insertModelVersion,
  insertPredictions,
  insertQueueImages,
} from "../../lib/labelling/testing/queue-fixtures";
import { createTestDatabase } from "../support/test-database";

/** The labelling queue's claims against a real Postgres: concurrency, leases, overlap, strategies, blind share. */
let database: Awaited<ReturnType<typeof createTestDatabase>>;
const settings: QueueSettings = { overlap: 3, leaseSeconds: 300, blindShare: 0.1 };

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.drop());

beforeEach(async () => {
  // Each test starts from an empty queue.
  await database.db.execute(
    sql`truncate images, users, model_versions, annotations, label_leases, label_skips, mislabel_scores, vote_counts, predictions cascade`,
  );
});

function claim(
  annotatorId: string,
  count = 5,
  strategy: LabelStrategy = "unreviewed",
  overrides: Partial<QueueSettings> = {},
) {
  return claimLabelItems(database.db, { annotatorId, strategy, count, settings: { ...settings, ...overrides } });
}

const ids = (batch: LabelBatch) => batch.items.map((item) => item.imageId);

let request = 0;
/** Labels an image as a page would after the image was served to the annotator (held for them unless someone else holds it). */
async function label(annotatorId: string, imageId: number, value = 3) {
  await database.db.execute(sql`
    insert into label_leases (image_id, annotator_id, expires_at) values (${imageId}, ${annotatorId}::uuid, now() + interval '5 minutes')
    on conflict (image_id) do update set annotator_id = excluded.annotator_id, expires_at = excluded.expires_at
    where label_leases.expires_at <= now() or label_leases.annotator_id = excluded.annotator_id`);
  return saveAnnotation(
    database.db,
    {
      annotatorId,
      imageId,
      label: value,
      clientRequestId: `test-${++request}`,
      durationMs: 1200,
      suggestedLabel: null,
      suggestionModelVersionId: null,
    },
    { overlap: settings.overlap },
  );
}

describe("claiming items", () => {
  it("serves unreviewed items in order, leases them, and returns the caller's own leases first when asked again", async () => {
    const images = await insertQueueImages(database.db, 12);
    const [ann, bob] = await insertAnnotators(database.db, 2);

    const first = await claim(ann, 5);
    expect(ids(first)).toEqual(images.slice(0, 5));
    expect(first.servingModel).toBeNull();
    for (const item of first.items) {
      expect(item.leaseExpiresAt.getTime()).toBeGreaterThan(Date.now() + 250_000);
      // A blind item carries none of what is known about the image (the server decided it is blind).
      expect(item.labels).toEqual(
        item.blind
          ? null
          : { original: [images.indexOf(item.imageId) % 7], ferPlus: null, people: [0, 0, 0, 0, 0, 0, 0], notFace: 0 },
      );
    }
    // Bob gets the next ones, never Ann's.
    expect(ids(await claim(bob, 5))).toEqual(images.slice(5, 10));
    // Ann asking again gets her own leases back first, then new items.
    expect(ids(await claim(ann, 7))).toEqual([...images.slice(0, 5), ...images.slice(10, 12)]);
    const [{ n }] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from label_leases`);
    expect(n).toBe(12);
  });

  it("never leases one item to two annotators: 20 concurrent claimers x 5 items", async () => {
    const images = await insertQueueImages(database.db, 150);
    const annotators = await insertAnnotators(database.db, 20);
    const batches = await Promise.all(annotators.map((a) => claim(a, 5)));
    const served = batches.flatMap(ids);
    expect(served).toHaveLength(100);
    expect(new Set(served).size).toBe(100);
    expect(served.every((id) => images.includes(id))).toBe(true);
    const leases = await queryRows<{ image_id: number; annotator_id: string }>(
      database.db,
      sql`select image_id, annotator_id from label_leases where expires_at > now()`,
    );
    expect(leases).toHaveLength(100);
    batches.forEach((batch, i) => {
      for (const id of ids(batch)) expect(leases.find((l) => l.image_id === id)?.annotator_id).toBe(annotators[i]);
    });
  });

  it("hands out a scarce queue exactly once when claimers outnumber items", async () => {
    await insertQueueImages(database.db, 30);
    const annotators = await insertAnnotators(database.db, 20);
    const served = (await Promise.all(annotators.map((a) => claim(a, 5)))).flatMap(ids);
    expect(new Set(served).size).toBe(served.length);
    expect(served.length).toBe(30);
  });

  it("reuses expired leases", async () => {
    const images = await insertQueueImages(database.db, 3);
    const [ann, bob] = await insertAnnotators(database.db, 2);
    expect(ids(await claim(ann, 3))).toEqual(images);
    expect(ids(await claim(bob, 3))).toEqual([]);
    await expireLeases(database.db, ann);
    expect(ids(await claim(bob, 3))).toEqual(images);
    // Ann's time ran out: her items are Bob's now.
    expect(ids(await claim(ann, 3))).toEqual([]);
  });

  it("never serves an annotator an item they labelled, and retires items at LABEL_OVERLAP people's labels", async () => {
    const images = await insertQueueImages(database.db, 2);
    const [ann, bob, cy] = await insertAnnotators(database.db, 3);
    await label(ann, images[0], 3);
    await label(bob, images[0], -1);
    await expireLeases(database.db);
    // Ann labelled image 0: she only gets image 1.
    expect(ids(await claim(ann, 5))).toEqual([images[1]]);
    await expireLeases(database.db);
    // Cy sees the fewest-labelled first (image 1 has none), then image 0 with the others' labels
    // (no blind items: with the default share, 1 in 10 random annotator ids would be served image 0 blind).
    const batch = await claim(cy, 5, "unreviewed", { overlap: 3, blindShare: 0 });
    expect(ids(batch)).toEqual([images[1], images[0]]);
    expect(batch.items[1].labels).toEqual({ original: [0], ferPlus: null, people: [0, 0, 0, 1, 0, 0, 0], notFace: 1 });
    await expireLeases(database.db);
    // With overlap 2, image 0 is done.
    expect(ids(await claim(cy, 5, "unreviewed", { overlap: 2 }))).toEqual([images[1]]);
    const [{ count }] = await queryRows<{ count: number }>(
      database.db,
      sql`select people_label_count as count from images where id = ${images[0]}`,
    );
    expect(count).toBe(2);
  });

  it("serves only active images, and test faces only when allowed, then always blind", async () => {
    const train = await insertQueueImages(database.db, 1, { split: "train" });
    const val = await insertQueueImages(database.db, 1, { split: "val" });
    const test = await insertQueueImages(database.db, 1, { split: "test" });
    await insertQueueImages(database.db, 1, { status: "not_face" });
    await insertQueueImages(database.db, 1, { status: "rejected" });
    const [ann, bob] = await insertAnnotators(database.db, 2);
    expect(ids(await claim(ann, 5, "unreviewed", { blindShare: 0 }))).toEqual([...train, ...val]);
    const withTest = await claim(bob, 5, "unreviewed", { blindShare: 0, testFaces: "blind" });
    expect(ids(withTest)).toEqual(test);
    expect(withTest.items[0]).toMatchObject({ blind: true, labels: null });
  });

  it("decides blind items by the configured share, deterministically, and keeps the choice on re-serve", async () => {
    const images = await insertQueueImages(database.db, 400);
    const annotator = "6f9c1d8e-3b7a-4c2e-9d10-5a4b3c2d1e0f";
    await insertAnnotators(database.db, 1, [annotator]);
    const served: LabelBatch["items"] = [];
    for (let i = 0; i < 20; i++) {
      const batch = await claim(annotator, 20, "unreviewed", { blindShare: 0.25 });
      served.push(...batch.items);
      await database.db.execute(sql`delete from label_leases where annotator_id = ${annotator}::uuid`);
      await database.db.execute(
        sql`update images set status = 'rejected' where id = any(${sql.param(ids(batch))}::int[])`,
      );
    }
    expect(served).toHaveLength(400);
    for (const item of served) expect(item.blind).toBe(isBlindItem(annotator, item.imageId, 0.25));
    const share = served.filter((item) => item.blind).length / served.length;
    expect(share).toBeGreaterThan(0.18);
    expect(share).toBeLessThan(0.32);
    expect(served.map((i) => i.imageId).sort((a, b) => a - b)).toEqual(images);

    // None blind at share 0, all at share 1.
    await database.db.execute(sql`update images set status = 'active'`);
    await database.db.execute(sql`delete from label_leases`);
    expect((await claim(annotator, 20, "unreviewed", { blindShare: 0 })).items.some((i) => i.blind)).toBe(false);
    const again = await claim(annotator, 20, "unreviewed", { blindShare: 1 });
    // Re-served leases keep the choice made when they were claimed.
    expect(again.items.some((i) => i.blind)).toBe(false);
    await database.db.execute(sql`delete from label_leases`);
    expect((await claim(annotator, 20, "unreviewed", { blindShare: 1 })).items.every((i) => i.blind)).toBe(true);
  });
});

describe("strategies", () => {
  it("uncertain: highest entropy of the serving model first, then unreviewed; plain unreviewed without a serving model", async () => {
    const images = await insertQueueImages(database.db, 6);
    const [ann, bob] = await insertAnnotators(database.db, 2);
    const old = await insertModelVersion(database.db, { serving: false });
    const serving = await insertModelVersion(database.db, { serving: false });
    const peaked = [0.94, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01];
    const flat = [1 / 7, 1 / 7, 1 / 7, 1 / 7, 1 / 7, 1 / 7, 1 / 7];
    const split = [0.5, 0.5, 0, 0, 0, 0, 0];
    await insertPredictions(database.db, serving, [
      { imageId: images[1], probs: peaked },
      { imageId: images[3], probs: flat },
      { imageId: images[4], probs: split },
    ]);
    // The non-serving version's opinion must not count.
    await insertPredictions(database.db, old, [{ imageId: images[5], probs: flat }]);

    expect(ids(await claim(ann, 6, "uncertain"))).toEqual(images);
    await database.db.execute(sql`delete from label_leases`);

    await database.db.execute(sql`update model_versions set serving = true where id = ${serving}`);
    const batch = await claim(bob, 6, "uncertain");
    expect(ids(batch)).toEqual([images[3], images[4], images[1], images[0], images[2], images[5]]);
    expect(batch.servingModel).toEqual({ id: serving, modelName: "compact", version: expect.any(String) });
  });

  it("mislabel: strongest disagreement with the original label first, by the model or by FER+ votes", async () => {
    // Original labels: image i has label i % 7.
    const images = await insertQueueImages(database.db, 6);
    const [ann, bob] = await insertAnnotators(database.db, 2);
    const serving = await insertModelVersion(database.db, { serving: true });
    const oneHotish = (cls: number, p: number) => Array.from({ length: 7 }, (_, i) => (i === cls ? p : (1 - p) / 6));
    await insertPredictions(database.db, serving, [
      { imageId: images[0], probs: oneHotish(0, 0.9) }, // agrees with its label 0
      { imageId: images[1], probs: oneHotish(4, 0.9) }, // label 1, predicts 4 at 0.9: strong (0.88)
      { imageId: images[2], probs: oneHotish(5, 0.6) }, // label 2, predicts 5 at 0.6: weaker (0.53)
      { imageId: images[3], probs: oneHotish(6, 0.4) }, // disagrees but not confidently: not suspect by the model
    ]);
    await insertFerPlusVotes(database.db, [
      { imageId: images[3], counts: [0, 0, 0, 3, 0, 0, 7] }, // label 3, crowd says 6: (7 - 3) / 10 = 0.4
      { imageId: images[4], counts: [0, 0, 0, 0, 0, 0, 10] }, // label 4, crowd says 6: 1.0
      { imageId: images[5], counts: [0, 0, 0, 0, 0, 10, 0] }, // label 5, crowd agrees
    ]);
    expect(await rebuildMislabelScores(database.db, serving)).toBe(4);
    // Not blind (the default share of 0.1 would hide the votes from a random tenth of annotators' first item).
    const batch = await claim(ann, 3, "mislabel", { blindShare: 0 });
    expect(ids(batch)).toEqual([images[4], images[1], images[2]]);
    expect(batch.items[0].labels?.ferPlus).toEqual([0, 0, 0, 0, 0, 0, 10]);
    // Then the weakest suspect, then the unreviewed rest.
    expect(ids(await claim(bob, 3, "mislabel"))).toEqual([images[3], images[0], images[5]]);
  });

  it("random: distinct eligible items spread over the table, filled up when the queue runs dry", async () => {
    const images = await insertQueueImages(database.db, 300);
    const annotators = await insertAnnotators(database.db, 3);
    const batch = await claim(annotators[0], 20, "random");
    const served = ids(batch);
    expect(served).toHaveLength(20);
    expect(new Set(served).size).toBe(20);
    // Not simply the first 20 ids.
    expect(Math.max(...served)).toBeGreaterThan(images[40]);
    // Others never get those.
    const others = (await Promise.all(annotators.slice(1).map((a) => claim(a, 20, "random")))).flatMap(ids);
    expect(others.filter((id) => served.includes(id))).toEqual([]);
    expect(new Set(others).size).toBe(40);

    // A nearly exhausted queue still serves every remaining item.
    await database.db.execute(
      sql`update images set status = 'rejected' where id <> all(${sql.param(images.slice(100, 103))}::int[])`,
    );
    await database.db.execute(sql`delete from label_leases`);
    expect(ids(await claim(annotators[0], 20, "random")).sort((a, b) => a - b)).toEqual(images.slice(100, 103));
  });
});
