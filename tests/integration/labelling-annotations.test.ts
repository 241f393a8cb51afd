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
    ...overrides,
  };
}

/**
 * Saves as the page does after the item was served: the annotator holds the image (a lease is written for them when
 * nobody holds it) unless `hold` is false.
 */
async function save(input: NewAnnotation, options: { hold?: boolean; overlap?: number } = {}) {
  if (options.hold ?? true) {
    await database.db.execute(sql`
      insert into label_leases (image_id, annotator_id, expires_at)
      select id, ${input.annotatorId}::uuid, now() + interval '5 minutes' from images where id = ${input.imageId}
      on conflict (image_id) do update set annotator_id = excluded.annotator_id, expires_at = excluded.expires_at`);
  }
  return saveAnnotation(database.db, input, { overlap: options.overlap ?? settings.overlap });
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
    const saved = await save(
      annotation(ann, image, {
        label: -1,
        durationMs: 1500,
        suggestedLabel: 2,
        suggestionModelVersionId: version,
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
      blind: false, // the lease says (blindShare 0), whatever the page sends
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
    const results = await Promise.all(Array.from({ length: 8 }, () => save(request)));
    expect(new Set(results.map((r) => r.annotationId)).size).toBe(1);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(await peopleLabels(image)).toHaveLength(1);
    // A later retry too.
    expect(await save(request)).toEqual({
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
      save(annotation(ann, image, { label: 1 })),
      save(annotation(ann, image, { label: 2 })),
    ]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const refused = outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(LabellingError);
    expect(refused.reason.status).toBe(409);
    expect((await rejection(save(annotation(ann, image, { label: 5 })))).status).toBe(409);
    // Reusing a clientRequestId for another image is refused too.
    const [first] = await peopleLabels(image);
    const [other] = await insertQueueImages(database.db, 1);
    expect(
      (
        await rejection(
          save(annotation(bob, other, { clientRequestId: first.client_request_id })),
        )
      ).status,
    ).toBe(409);
    // Another annotator may label it.
    expect((await save(annotation(bob, image))).duplicate).toBe(false);
    expect(await peopleLabels(image)).toHaveLength(2);
  });

  it("answers 404 for an unknown image and 400 for an unknown suggestion model", async () => {
    const [image] = await insertQueueImages(database.db, 1);
    const [ann] = await insertAnnotators(database.db, 1);
    expect((await rejection(save(annotation(ann, image + 1000)))).status).toBe(404);
    expect(
      (await rejection(save(annotation(ann, image, { suggestionModelVersionId: 999 })))).status,
    ).toBe(400);
    expect(await peopleLabels(image)).toEqual([]);
  });
});

describe("who may label what", () => {
  const writtenFor = async (imageId: number) => (await peopleLabels(imageId)).length;

  it("refuses (409, nothing written) an image the annotator does not hold, or another annotator holds", async () => {
    const [image] = await insertQueueImages(database.db, 1);
    const [ann, bob] = await insertAnnotators(database.db, 2);
    const notHeld = await rejection(save(annotation(ann, image), { hold: false }));
    expect(notHeld.status).toBe(409);
    expect(notHeld.message).toMatch(/you do not hold image/);
    expect(await claim(bob)).toEqual([image]);
    const held = await rejection(save(annotation(ann, image), { hold: false }));
    expect(held.status).toBe(409);
    expect(held.message).toMatch(/held by another annotator/);
    expect(await writtenFor(image)).toBe(0);
    expect(await queryRows(database.db, sql`select annotator_id from label_leases`)).toEqual([{ annotator_id: bob }]);
  });

  it("accepts a save after the annotator's lease expired only while nobody else took the item", async () => {
    const [first, second] = await insertQueueImages(database.db, 2);
    const [ann, bob] = await insertAnnotators(database.db, 2);
    expect(await claim(ann, 2)).toEqual([first, second]);
    await database.db.execute(sql`update label_leases set expires_at = now() - interval '1 second'`);
    expect((await save(annotation(ann, first), { hold: false })).duplicate).toBe(false);
    // Bob takes over the other expired item: Ann's late save is refused.
    expect(await claim(bob, 1)).toEqual([second]);
    expect((await rejection(save(annotation(ann, second), { hold: false }))).status).toBe(409);
    expect(await writtenFor(second)).toBe(0);
  });

  it("refuses an image that left the set, one that has its LABEL_OVERLAP labels, and a test face never served", async () => {
    const [gone, full] = await insertQueueImages(database.db, 2);
    const [testFace] = await insertQueueImages(database.db, 1, { split: "test" });
    const [ann, bob] = await insertAnnotators(database.db, 2);
    await database.db.execute(sql`update images set status = 'not_face' where id = ${gone}`);
    expect((await rejection(save(annotation(ann, gone)))).message).toMatch(/no longer in the labelling set/);
    await save(annotation(bob, full), { overlap: 1 });
    expect((await rejection(save(annotation(ann, full), { overlap: 1 }))).message).toMatch(/already has its 1 labels/);
    // Test faces are not served (LABEL_TEST_FACES off), so nobody can hold one, so nobody can label one.
    await database.db.execute(sql`delete from label_leases`);
    expect(await claim(ann, 5)).toEqual([full]);
    expect((await rejection(save(annotation(ann, testFace), { hold: false }))).status).toBe(409);
    expect(await writtenFor(gone)).toBe(0);
    expect(await writtenFor(full)).toBe(1);
    expect(await writtenFor(testFace)).toBe(0);
  });

  it("answers 409 when a clientRequestId is reused with another label", async () => {
    const [image] = await insertQueueImages(database.db, 1);
    const [ann] = await insertAnnotators(database.db, 1);
    const request = annotation(ann, image, { label: 2 });
    await save(request);
    expect((await rejection(save({ ...request, label: 5 }))).status).toBe(409);
    expect((await peopleLabels(image)).map((l) => l.label)).toEqual([2]);
  });

  it("takes blindness from the lease, not from the page: a blind item's label keeps no suggestion", async () => {
    const [image] = await insertQueueImages(database.db, 1);
    const [ann] = await insertAnnotators(database.db, 1);
    const version = await insertModelVersion(database.db, { serving: true });
    const [item] = (await claimLabelItems(database.db, { annotatorId: ann, strategy: "unreviewed", count: 1, settings: { ...settings, blindShare: 1 } })).items;
    expect(item).toMatchObject({ imageId: image, blind: true, labels: null });
    const saved = await save(annotation(ann, image, { suggestedLabel: 3, suggestionModelVersionId: version }), { hold: false });
    const [row] = await queryRows<{ blind: boolean; suggested_label: number | null }>(
      database.db,
      sql`select blind, suggested_label from annotations where id = ${saved.annotationId}`,
    );
    expect(row).toEqual({ blind: true, suggested_label: null });
  });
});

describe("undo", () => {
  it("deletes the annotator's own label, gives the item back to them first, and lets them label it again", async () => {
    const images = await insertQueueImages(database.db, 4);
    const [ann, bob] = await insertAnnotators(database.db, 2);
    expect(await claim(ann, 2)).toEqual(images.slice(0, 2));
    const request = annotation(ann, images[0], { label: 2 });
    await save(request);

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
    expect((await save(annotation(ann, images[0], { label: 3 }))).duplicate).toBe(false);
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
