import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadLabelledSet } from "../../lib/curation/load-labelled-set";
import { LABEL_POLICIES } from "../../lib/curation/label-policy";
import { facePixels, fer2013Csv, fer2013Line, ferPlusCsv, makeTempDir, writeFixture } from "../../lib/datasets/testing/fixtures";
import { faceContentHash } from "../../lib/images/face-hash";
import { queryRows } from "../../lib/db/query-rows";
import { FERPLUS_COLUMNS } from "../../lib/emotions";
import { loadBenchmarkRows, perRowAccuracy } from "../../lib/evaluation/benchmark-rows";
import { ensureEvaluationLabelSets, loadEvaluationLabels } from "../../lib/evaluation/evaluation-label-sets";
import { importDataset } from "../../lib/import/import-dataset";
import { insertAnnotators } from "../../lib/labelling/testing/queue-fixtures";
import type { ObjectStore } from "../../lib/storage/object-store";
import { createTestDatabase } from "../support/test-database";
import { createTestStore } from "../support/test-s3";

/**
 * One face, one row: FER-2013 faces that occur in several rows, each row with its own FER+ votes. Every loader
 * returns such a face once, with the votes of its rows summed; the benchmark protocol counts rows; the frozen
 * evaluation label sets do not move with people's labels.
 */
const USAGE = { train: "Training", val: "PublicTest", test: "PrivateTest" } as const;
const ROWS: [label: number, usage: string, seed: number][] = [
  [3, USAGE.train, 1], // row 0
  [3, USAGE.train, 1], // row 1: the same face again
  [0, USAGE.train, 2], // row 2
  [4, USAGE.val, 3], // row 3
  [6, USAGE.val, 3], // row 4: the same face, another label
  [3, USAGE.val, 5], // row 5
  [5, USAGE.test, 6], // row 6
  [2, USAGE.val, 7], // row 7: not a face by the FER+ crowd
];
const votes = (pairs: Record<string, number>) => FERPLUS_COLUMNS.map((c) => pairs[c] ?? 0);
const VOTES = [
  votes({ happiness: 6, neutral: 4 }),
  votes({ happiness: 5, surprise: 5 }),
  votes({ anger: 10 }),
  votes({ sadness: 6, neutral: 4 }),
  votes({ neutral: 7, sadness: 3 }),
  votes({ happiness: 10 }),
  votes({ surprise: 10 }),
  votes({ NF: 8, fear: 2 }),
];

describe("honest evaluation data", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: ObjectStore;
  let tmp: Awaited<ReturnType<typeof makeTempDir>>;

  beforeAll(async () => {
    [database, store, tmp] = await Promise.all([createTestDatabase(), createTestStore(), makeTempDir()]);
    const csv = await writeFixture(tmp.file("fer2013.csv"), fer2013Csv(ROWS.map(([l, u, s]) => fer2013Line(l, u, s))));
    const ferPlus = await writeFixture(
      tmp.file("fer2013new.csv"),
      ferPlusCsv(VOTES.map((v, row) => `${ROWS[row][1]},fer${String(row).padStart(7, "0")}.png,${v.join(",")}`)),
    );
    await importDataset({ db: database.db, store, path: csv });
    const summary = await importDataset({ db: database.db, store, path: ferPlus });
    expect(summary.votesAdded).toBe(8);
  });
  afterAll(async () => {
    await database?.drop();
    await tmp?.cleanup();
  });

  /** The image of a fixture row, found by its pixels. */
  const imageOf = async (row: number) => {
    const [found] = await queryRows<{ id: number }>(
      database.db,
      sql`select id from images where content_hash = ${faceContentHash(facePixels(ROWS[row][2]))}`,
    );
    return found.id;
  };

  it("returns each face once per split under every label policy", async () => {
    for (const policy of LABEL_POLICIES) {
      const train = await loadLabelledSet(database.db, "train", policy);
      const val = await loadLabelledSet(database.db, "val", policy);
      expect(train.map((i) => i.imageId), policy).toEqual([await imageOf(0), await imageOf(2)]);
      // Row 7's face is out: the crowd judged it not a face.
      expect(val.map((i) => i.imageId), policy).toEqual([await imageOf(3), await imageOf(5)]);
    }
  });

  it("sums the FER+ votes of a face's rows, once", async () => {
    const [soft] = await loadLabelledSet(database.db, "train", "soft");
    // happiness 6+5, neutral 4, surprise 5, and the original label (Happy) once: 21 votes.
    expect(soft.target.map((p) => Math.round(p * 21))).toEqual([0, 0, 0, 12, 0, 5, 4]);
    const val = await loadLabelledSet(database.db, "val", "consensus");
    // sadness 6+3 and the original Sad = 10 against neutral 4+7 = 11.
    expect(val[0].label).toBe(6);
    const [votesRow] = await queryRows<{ counts: number[]; source_rows: number; total_votes: number }>(
      database.db,
      sql`select counts, source_rows, total_votes from image_votes where image_id = ${await imageOf(3)}`,
    );
    expect(votesRow).toEqual({ counts: [0, 0, 0, 0, 9, 0, 11], source_rows: 2, total_votes: 20 });
  });

  it("counts the benchmark per FER-2013 row, with each row's own label and not-a-face rows apart", async () => {
    const rows = await loadBenchmarkRows(database.db, "PublicTest");
    expect(rows.labels.length).toBe(4);
    expect(rows.faces.map((f) => f.imageId)).toEqual([await imageOf(3), await imageOf(5), await imageOf(7)]);
    // Predict Sad, Happy, Fear for the three faces: rows 3 (Sad), 5 (Happy) and 7 (Fear) right, row 4 (Neutral) wrong.
    const result = perRowAccuracy(rows, [4, 3, 2]);
    expect(result.accuracy).toBe(0.75);
    expect(result.faceRows).toEqual({ rows: 3, accuracy: 2 / 3 });
    expect(result.notFaceRows).toEqual({ rows: 1, accuracy: 1 });
    expect((await loadBenchmarkRows(database.db, "PrivateTest")).labels.length).toBe(1);
  });

  it("freezes the evaluation label sets: people's labels never move them, new data makes a new version", async () => {
    const first = await ensureEvaluationLabelSets(database.db);
    expect(first.map((s) => `${s.name} v${s.version}`)).toEqual(["original v1", "ferplus-majority v1"]);
    const [original, ferPlus] = first;
    // The originals as the "original" policy reads them (row 3 and 4 disagree: the first source's label).
    const originals = await loadLabelledSet(database.db, "val", "original");
    expect((await loadEvaluationLabels(database.db, original.id, "val")).map((f) => f.label)).toEqual(originals.map((i) => i.label));
    expect((await loadEvaluationLabels(database.db, ferPlus.id, "val")).map((f) => f.label)).toEqual([6, 3]);
    expect((await loadEvaluationLabels(database.db, original.id, "test")).map((f) => f.label)).toEqual([5]);

    // People label the test face otherwise: the sets stay as they were.
    const [a, b] = await insertAnnotators(database.db, 2);
    const testImage = await imageOf(6);
    await database.db.execute(sql`
      insert into annotations (image_id, annotator_id, source, label)
      values (${testImage}, ${a}::uuid, 'annotator', 0), (${testImage}, ${b}::uuid, 'annotator', 0)`);
    const again = await ensureEvaluationLabelSets(database.db);
    expect(again.map((s) => s.id)).toEqual(first.map((s) => s.id));
    expect((await loadEvaluationLabels(database.db, original.id, "test")).map((f) => f.label)).toEqual([5]);

    // A new PrivateTest row arrives: a new version; the old one keeps its labels.
    const more = await writeFixture(
      tmp.file("more.csv"),
      fer2013Csv([...ROWS.map(([l, u, s]) => fer2013Line(l, u, s)), fer2013Line(1, USAGE.test, 9)]),
    );
    await importDataset({ db: database.db, store, path: more });
    const next = await ensureEvaluationLabelSets(database.db);
    expect(next[0].version).toBe(2);
    expect((await loadEvaluationLabels(database.db, next[0].id, "test")).map((f) => f.label)).toEqual([5, 1]);
    expect((await loadEvaluationLabels(database.db, original.id, "test")).map((f) => f.label)).toEqual([5]);
  });
});
