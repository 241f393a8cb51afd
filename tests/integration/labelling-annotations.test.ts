import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { queryRows } from "../../lib/db/query-rows";
import { claimLabelItems } from "../../lib/labelling/claim-label-items";
import { LabellingError } from "../../lib/labelling/labelling-error";
import type { QueueSettings } from "../../lib/labelling/queue-settings";
import { type NewAnnotation, saveAnnotation } from "../../lib/labelling/save-annotation";
import { skipLabelItem } from "../../lib/labelling/skip-label-item";
import { undoAnnotation } from "../../lib/labelling/undo-annotation";
import { insertAnnotators, insertModelVersion, insertQueueImages } from "../../lib/labelling/testing/queue-fixtures";
import { createTestDatabase } from "../support/test-database";

/** Saving, undoing and skipping labels against a real Postgres: idempotency, conflicts, leases released. */
let database: Awaited<ReturnType<typeof createTestDatabase>>;
const settings: QueueSettings = { overlap: 3, leaseSeconds: 300, blindShare: 0 };

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.drop());
beforeEach(async () => {
  await database.db.execute(
    sql`truncate images, users, model_versions, annotations, label_leases, label_skips cascade`,
  );
});

const claim = (annotatorId: string, count = 5) =>
  claimLabelItems(database.db, { annotatorId, strategy: "unreviewed", count, settings }).then((b) =>
    b.items.map((i) => i.imageId),
  );

function annotation(annotatorId: string, imageId: number, overrides: Partial<NewAnnotation> = {}): NewAnnotation {
  return {
    annotatorId,
    imageId,
    clientRequestId: randomUUID(),
    label: 4,
    durationMs: 2300,
    suggestedLabel: null,
    suggestionModelVersionId: null,
    blind: false,
    ...overrides,
  };
}

async function peopleLabels(imageId: number) {
  return queryRows<{ id: number; annotator_id: string; label: number; client_request_id: string }>(
    database.db,
    sql`select id::int, annotator_id, label, client_request_id from annotations where image_id = ${imageId} and annotator_id is not null`,
  );
}

async function rejection(promise: Promise<unknown>): Promise<LabellingError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LabellingError);
  return error as LabellingError;
}

describe("saving labels", () => {
  it("stores every field, releases the lease and counts the label", async () => {
    const [image] = await insertQueueImages(database.db, 1);
    const [ann] = await insertAnnotators(database.db, 1);
    const version = await insertModelVersion(database.db, { serving: true });
    expect(await claim(ann)).toEqual([image]);
    const saved = await saveAnnotation(
      database.db,
      annotation(ann, image, {
        label: -1,
        durationMs: 1500,
        suggestedLabel: 2,
        suggestionModelVersionId: version,
        blind: true,
      }),
    );
    expect(saved.duplicate).toBe(false);
    const [row] = await queryRows<Record<string, unknown>>(
      database.db,
      sql`select image_id, annotator_id, source, label, duration_ms, suggested_label, suggestion_model_version_id, blind
          from annotations where id = ${saved.annotationId}`,
    );
    expect(row).toEqual({
      image_id: image,
      annotator_id: ann,
      source: "annotator",
      label: -1,
      duration_ms: 1500,
      suggested_label: 2,
      suggestion_model_version_id: version,
      blind: true,
    });
    expect(await queryRows(database.db, sql`select * from label_leases`)).toEqual([]);
    const [{ count }] = await queryRows<{ count: number }>(
      database.db,
      sql`select people_label_count as count from images`,
    );
    expect(count).toBe(1);
  });

  it("is idempotent by clientRequestId, also for concurrent retries: one row, one annotationId", async () => {
    const [image] = await insertQueueImages(database.db, 1);
    const [ann] = await insertAnnotators(database.db, 1);
    const request = annotation(ann, image);
    const results = await Promise.all(Array.from({ length: 8 }, () => saveAnnotation(database.db, request)));
    expect(new Set(results.map((r) => r.annotationId)).size).toBe(1);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(await peopleLabels(image)).toHaveLength(1);
    // A later retry too.
    expect(await saveAnnotation(database.db, request)).toEqual({
      annotationId: results[0].annotationId,
      duplicate: true,
    });
    const [{ count }] = await queryRows<{ count: number }>(
      database.db,
      sql`select people_label_count as count from images`,
    );
    expect(count).toBe(1);
  });

  it("refuses a second, different label for the same image by the same annotator (409), even when concurrent", async () => {
    const [image] = await insertQueueImages(database.db, 1);
    const [ann, bob] = await insertAnnotators(database.db, 2);
    const outcomes = await Promise.allSettled([
      saveAnnotation(database.db, annotation(ann, image, { label: 1 })),
      saveAnnotation(database.db, annotation(ann, image, { label: 2 })),
    ]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const refused = outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(LabellingError);
    expect(refused.reason.status).toBe(409);
    expect((await rejection(saveAnnotation(database.db, annotation(ann, image, { label: 5 })))).status).toBe(409);
    // Reusing a clientRequestId for another image is refused too.
    const [first] = await peopleLabels(image);
    const [other] = await insertQueueImages(database.db, 1);
    expect(
      (
        await rejection(
          saveAnnotation(database.db, annotation(bob, other, { clientRequestId: first.client_request_id })),
        )
      ).status,
    ).toBe(409);
    // Another annotator may label it.
    expect((await saveAnnotation(database.db, annotation(bob, image))).duplicate).toBe(false);
    expect(await peopleLabels(image)).toHaveLength(2);
  });

  it("answers 404 for an unknown image and 400 for an unknown suggestion model", async () => {
    const [image] = await insertQueueImages(database.db, 1);
    const [ann] = await insertAnnotators(database.db, 1);
    expect((await rejection(saveAnnotation(database.db, annotation(ann, image + 1000)))).status).toBe(404);
    expect(
      (await rejection(saveAnnotation(database.db, annotation(ann, image, { suggestionModelVersionId: 999 })))).status,
    ).toBe(400);
    expect(await peopleLabels(image)).toEqual([]);
  });
});

describe("undo", () => {
  it("deletes the annotator's own label, gives the item back to them first, and lets them label it again", async () => {
    const images = await insertQueueImages(database.db, 4);
    const [ann, bob] = await insertAnnotators(database.db, 2);
    expect(await claim(ann, 2)).toEqual(images.slice(0, 2));
    const request = annotation(ann, images[0], { label: 2 });
    await saveAnnotation(database.db, request);

    // Only the author can undo it.
    expect(
      (
        await rejection(
          undoAnnotation(database.db, {
            annotatorId: bob,
            clientRequestId: request.clientRequestId,
            leaseSeconds: 300,
          }),
        )
      ).status,
    ).toBe(404);
    const undone = await undoAnnotation(database.db, {
      annotatorId: ann,
      clientRequestId: request.clientRequestId,
      leaseSeconds: 300,
    });
    expect(undone.imageId).toBe(images[0]);
    expect(undone.leaseExpiresAt!.getTime()).toBeGreaterThan(Date.now());
    expect(await peopleLabels(images[0])).toEqual([]);
    const [{ count }] = await queryRows<{ count: number }>(
      database.db,
      sql`select people_label_count as count from images where id = ${images[0]}`,
    );
    expect(count).toBe(0);
    // Held for Ann again: Bob cannot get it, Ann gets it back with her other lease.
    expect(await claim(bob, 4)).toEqual(images.slice(2, 4));
    expect((await claim(ann, 4)).sort()).toEqual(images.slice(0, 2).sort());
    // Undone twice: nothing left to undo.
    expect(
      (
        await rejection(
          undoAnnotation(database.db, {
            annotatorId: ann,
            clientRequestId: request.clientRequestId,
            leaseSeconds: 300,
          }),
        )
      ).status,
    ).toBe(404);
    // A new label for the same image is accepted.
    expect((await saveAnnotation(database.db, annotation(ann, images[0], { label: 3 }))).duplicate).toBe(false);
  });
});

describe("skip", () => {
  it("releases the lease and hides the item from the skipper until that lease would have ended", async () => {
    const images = await insertQueueImages(database.db, 3);
    const [ann, bob] = await insertAnnotators(database.db, 2);
    expect(await claim(ann, 1)).toEqual([images[0]]);
    const { skippedUntil } = await skipLabelItem(database.db, {
      annotatorId: ann,
      imageId: images[0],
      leaseSeconds: 300,
    });
    expect(skippedUntil.getTime()).toBeGreaterThan(Date.now() + 250_000);
    // Not Ann's any more: Ann gets the next items, Bob gets the skipped one.
    expect(await claim(ann, 5)).toEqual(images.slice(1, 3));
    expect(await claim(bob, 5)).toEqual([images[0]]);
    // Once the skip period is over, Ann may be served it again.
    await database.db.execute(sql`update label_skips set expires_at = now() - interval '1 second'`);
    await database.db.execute(sql`delete from label_leases where annotator_id = ${bob}::uuid`);
    expect(await claim(ann, 5)).toEqual([images[1], images[2], images[0]]);
  });

  it("answers 404 for an unknown image", async () => {
    const [ann] = await insertAnnotators(database.db, 1);
    expect(
      (await rejection(skipLabelItem(database.db, { annotatorId: ann, imageId: 12345, leaseSeconds: 300 }))).status,
    ).toBe(404);
  });
});
