import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getConsensusLabels, recomputeConsensus } from "../../lib/curation/consensus";
import { getQualityReport } from "../../lib/curation/agreement/quality-report";
import { loadLabelledSet } from "../../lib/curation/load-labelled-set";
import { queryRows } from "../../lib/db/query-rows";
import { NOT_A_FACE } from "../../lib/emotions";
import { insertAnnotators, insertFerPlusVotes, insertQueueImages } from "../../lib/labelling/testing/queue-fixtures";
import { createTestDatabase } from "../support/test-database";

/** Stored consensus against a real Postgres: full recompute, kept current as labels arrive, the read API. */
let database: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.drop());
beforeEach(async () => {
  await database.db.execute(sql`truncate images, users, annotations, vote_counts, consensus_labels, consensus_models, consensus_dirty cascade`);
});

const byId = <T extends { imageId: number }>(rows: T[]) => new Map(rows.map((r) => [r.imageId, r]));

async function addPersonLabel(annotatorId: string, imageId: number, label: number) {
  await database.db.execute(sql`
    insert into annotations (image_id, annotator_id, source, label, client_request_id)
    values (${imageId}, ${annotatorId}::uuid, 'person', ${label}, gen_random_uuid()::text)`);
}

describe("stored consensus", () => {
  it("computes majority, soft and Dawid-Skene for every face, and follows labels as they arrive", async () => {
    const ids = await insertQueueImages(database.db, 60, { labels: (i) => i % 7 });
    // The crowd agrees with the original label except on the first face, where it says 3.
    await insertFerPlusVotes(
      database.db,
      ids.map((id, i) => ({ imageId: id, counts: [0, 1, 2, 3, 4, 5, 6].map((c) => (i === 0 ? (c === 3 ? 8 : c === 0 ? 2 : 0) : c === i % 7 ? 9 : c === (i + 1) % 7 ? 1 : 0)) })),
    );
    const summary = await recomputeConsensus(database.db);
    expect(summary.faces).toBe(60);

    const majority = byId(await getConsensusLabels(database.db, "majority"));
    expect(majority.size).toBe(60);
    expect(majority.get(ids[0])).toMatchObject({ label: 3, method: "majority" });
    expect(majority.get(ids[0])!.confidence).toBeCloseTo(8 / 11, 4);
    const ds = byId(await getConsensusLabels(database.db, "dawid-skene"));
    expect(ds.get(ids[0])!.label).toBe(3);
    expect(ds.get(ids[5])!.label).toBe(5);
    const soft = byId(await getConsensusLabels(database.db, "soft"));
    expect(soft.get(ids[1])!.distribution[1]).toBeCloseTo(10 / 11, 4);

    // People arrive: three say face 2 (original 2, crowd 9x2) is 4; one says face 3 is not a face.
    const [a, b, c] = await insertAnnotators(database.db, 3);
    const [{ marked }] = await queryRows<{ marked: number }>(database.db, sql`select count(*)::int as marked from consensus_dirty`);
    expect(marked).toBe(0);
    for (const person of [a, b, c]) await addPersonLabel(person, ids[2], 4);
    await addPersonLabel(a, ids[3], NOT_A_FACE);
    await addPersonLabel(b, ids[3], NOT_A_FACE);
    const after = byId(await getConsensusLabels(database.db, "majority"));
    expect(after.get(ids[2])!.distribution[4]).toBeCloseTo(3 / 14, 4);
    expect(after.get(ids[3])!.label).toBeNull();
    const [{ left }] = await queryRows<{ left: number }>(database.db, sql`select count(*)::int as left from consensus_dirty`);
    expect(left).toBe(0);

    // An undo (delete) is followed too.
    await database.db.execute(sql`delete from annotations where image_id = ${ids[3]} and annotator_id is not null`);
    expect(byId(await getConsensusLabels(database.db, "majority")).get(ids[3])!.label).toBe(3);
  });

  it("computes everything on first read, and filters by split and ids", async () => {
    const train = await insertQueueImages(database.db, 5, { split: "train" });
    const val = await insertQueueImages(database.db, 3, { split: "val" });
    const rows = await getConsensusLabels(database.db, "dawid-skene", { split: "val" });
    expect(rows.map((r) => r.imageId)).toEqual(val);
    expect(rows.every((r) => r.method === "dawid-skene" && r.label !== null)).toBe(true);
    const some = await getConsensusLabels(database.db, "soft", { imageIds: [train[1]] });
    expect(some).toHaveLength(1);
    expect(some[0].label).toBe(1);
  });

  it("is what the trainer's dawid-skene label policy trains on", async () => {
    const ids = await insertQueueImages(database.db, 28, { split: "train", labels: (i) => i % 7 });
    // The crowd agrees with the original label, except on the first face (0), where it says 5; people say the
    // second is not a face.
    const votes = (i: number) => [0, 1, 2, 3, 4, 5, 6].map((c) => (i === 0 ? (c === 5 ? 10 : 0) : c === i % 7 ? 9 : c === (i + 3) % 7 ? 1 : 0));
    await insertFerPlusVotes(database.db, ids.map((id, i) => ({ imageId: id, counts: votes(i) })));
    const people = await insertAnnotators(database.db, 2);
    for (const person of people) await addPersonLabel(person, ids[1], NOT_A_FACE);
    const set = await loadLabelledSet(database.db, "train", "dawid-skene");
    expect(set.map((s) => s.imageId)).toEqual(ids.filter((_, i) => i !== 1));
    expect(set.map((s) => s.label)).toEqual(ids.flatMap((_, i) => (i === 1 ? [] : [i === 0 ? 5 : i % 7])));
    expect(set[0].target).toEqual([0, 0, 0, 0, 0, 1, 0]);
    expect(set[0].storageKey).toBe("faces/test");
  });

  it("reports agreement and each person's accuracy for the quality page", async () => {
    const ids = await insertQueueImages(database.db, 21, { labels: (i) => i % 7 });
    const [good, poor] = await insertAnnotators(database.db, 2);
    for (const [i, id] of ids.entries()) {
      await addPersonLabel(good, id, i % 7);
      await addPersonLabel(poor, id, i % 3 === 0 ? (i + 1) % 7 : i % 7);
    }
    const report = await getQualityReport(database.db);
    const people = report.agreement.find((a) => a.scope === "people only")!;
    expect(people.faces).toBe(21);
    expect(people.fleiss.kappa).toBeGreaterThan(0.5);
    expect(people.fleiss.kappa).toBeLessThan(1);
    expect(Number.isFinite(people.krippendorffAlpha)).toBe(true);
    const byId = new Map(report.annotators.map((a) => [a.annotatorId, a]));
    expect(byId.get(good)!.accuracy).toBe(1);
    expect(byId.get(poor)!.accuracy).toBeCloseTo(14 / 21, 5);
    expect(byId.get(poor)!.estimatedConfusion).toHaveLength(7);
    expect(report.latestRound).toBeNull();
  });
});
