import fs from "node:fs";
import path from "node:path";
import { desc, eq, sql } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { annotations, images, importJobs, voteCounts } from "../../db/schema";
import { queryRows } from "../../lib/db/query-rows";
import { buildTar, gzip, makeTempDir, writeFixture } from "../../lib/datasets/testing/fixtures";
import { buildZip } from "../../lib/datasets/testing/stored-zip";
import { FERPLUS_COLUMNS } from "../../lib/emotions";
import { readFace } from "../../lib/images/face-shards";
import { syntheticFaces } from "../../lib/images/synthetic-faces";
import { importDataset } from "../../lib/import/import-dataset";
import type { ObjectStore } from "../../lib/storage/object-store";
import { createTestDatabase } from "../support/test-database";
import { createTestStore } from "../support/test-s3";

const USAGES = ["Training", "PublicTest", "PrivateTest"] as const;
const faces = syntheticFaces(30, 42);

/** 30 good rows (10 per split), then a duplicate of row 0 marked PrivateTest, then two bad rows. */
function fer2013CsvText(): string {
  const lines = faces.map(
    (face, i) => `${face.label},${Array.from(face.pixels).join(" ")},${USAGES[Math.floor(i / 10)]}`,
  );
  lines.push(`${faces[0].label},${Array.from(faces[0].pixels).join(" ")},PrivateTest`); // row 30: same pixels as row 0
  lines.push(`3,${Array.from(faces[1].pixels).slice(1).join(" ")},Training`); // row 31: 2303 pixels
  lines.push(`9,${Array.from(faces[2].pixels).join(" ")},Training`); // row 32: label out of range
  return `emotion,pixels,Usage\n${lines.join("\n")}\n`;
}

function ferPlusLine(row: number, votes: number[]): string {
  const usage = USAGES[Math.min(2, Math.floor(row / 10))];
  return `${usage},fer${String(row).padStart(7, "0")}.png,${votes.join(",")}`;
}

describe("importing FER-2013 into Postgres and S3", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: ObjectStore;
  let tmp: Awaited<ReturnType<typeof makeTempDir>>;
  let csvGz: string;

  beforeAll(async () => {
    [database, store, tmp] = await Promise.all([createTestDatabase(), createTestStore(), makeTempDir()]);
    csvGz = await writeFixture(tmp.file("fer2013.csv.gz"), gzip(fer2013CsvText()));
  });
  afterAll(async () => {
    await database?.drop();
    await tmp?.cleanup();
  });

  it("imports a gzip'd CSV: splits, canonical labels, duplicates linked, bad rows counted, pixels in S3", async () => {
    const summary = await importDataset({ db: database.db, store, path: csvGz, batchSize: 8 });
    expect(summary.format).toBe("fer2013 (gzip)");
    expect(summary.rowsRead).toBe(33);
    expect(summary.imagesAdded).toBe(30);
    expect(summary.duplicatesLinked).toBe(1);
    expect(summary.skipped).toBe(2);
    expect(Object.keys(summary.skippedByReason).sort()).toEqual(["label", "pixel-count"]);
    expect(summary.skippedByReason["pixel-count"].examples[0]).toMatch(/row 31/);

    const splits = await queryRows<{ split: string; n: number }>(
      database.db,
      sql`select split, count(*)::int as n from images group by split order by split`,
    );
    // Row 0's face also appears as PrivateTest: it moves to the frozen test split.
    expect(splits).toEqual([
      { split: "train", n: 9 },
      { split: "val", n: 10 },
      { split: "test", n: 11 },
    ]);

    const [first] = await queryRows<{ id: number; source_count: number; split: string }>(
      database.db,
      sql`select i.id, i.source_count, i.split from images i join image_sources s on s.image_id = i.id
          where s.source = 'fer2013' and s.source_row = 0`,
    );
    expect(first).toMatchObject({ source_count: 2, split: "test" });
    const image = (await database.db.select().from(images).where(eq(images.id, first.id)))[0];
    expect(Buffer.from(await readFace(store, image))).toEqual(Buffer.from(faces[0].pixels));

    const labels = await database.db
      .select({ label: annotations.label, source: annotations.source })
      .from(annotations)
      .where(eq(annotations.imageId, first.id));
    // Both source rows labelled it; both labels are kept.
    expect(labels).toEqual([
      { label: faces[0].label, source: "fer2013" },
      { label: faces[0].label, source: "fer2013" },
    ]);
    const [job] = await database.db.select().from(importJobs).orderBy(desc(importJobs.id)).limit(1);
    expect(job.status).toBe("succeeded");
  });

  it("adds nothing when the same data comes again, in any container", async () => {
    const text = fer2013CsvText();
    const inputs = [
      csvGz,
      await writeFixture(tmp.file("plain/fer2013.csv"), text),
      await writeFixture(tmp.file("fer2013.tar.gz"), await buildTar({ "fer2013/fer2013.csv": text })),
      await writeFixture(tmp.file("fer2013.zip"), buildZip([{ name: "fer2013.csv", data: text, deflate: true }])),
    ];
    for (const input of inputs) {
      const summary = await importDataset({ db: database.db, store, path: input });
      expect(summary.imagesAdded).toBe(0);
      expect(summary.alreadyImported).toBe(31);
    }
    expect(await database.db.$count(images)).toBe(30);
    expect(await database.db.$count(annotations)).toBe(31);
  });

  it("imports FER+ votes in canonical order and marks not-a-face majorities", async () => {
    const votes = (column: string, n = 10) => FERPLUS_COLUMNS.map((c) => (c === column ? n : 0));
    const header = `Usage,Image name,${FERPLUS_COLUMNS.join(",")}`;
    // FER+ rows line up with FER-2013 rows by position. Row 31 was skipped by the FER-2013 import (bad pixels).
    const lines = Array.from({ length: 32 }, (_, row) => ferPlusLine(row, votes("neutral")));
    lines[0] = ferPlusLine(0, votes("happiness"));
    lines[1] = ferPlusLine(1, votes("NF"));
    lines[2] = ferPlusLine(2, [2, 0, 0, 0, 0, 0, 0, 0, 1, 7]);
    const file = await writeFixture(tmp.file("fer2013new.csv"), `${header}\n${lines.join("\n")}\n`);
    const summary = await importDataset({ db: database.db, store, path: file });
    expect(summary.votesAdded).toBe(31);
    expect(summary.markedNotFace).toBe(2);
    expect(summary.skippedByReason["no-image"].count).toBe(1);

    const [row0] = await database.db.select().from(voteCounts).where(eq(voteCounts.sourceRef, "row 0"));
    expect(row0.counts).toEqual([0, 0, 0, 10, 0, 0, 0]); // happiness -> canonical 3 (Happy)
    expect(row0.totalVotes).toBe(10);
    const notFace = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from images where status = 'not_face'`,
    );
    expect(notFace[0].n).toBe(2);

    const again = await importDataset({ db: database.db, store, path: file });
    expect(again.votesAdded).toBe(0);
    expect(again.alreadyImported).toBe(31);
  });

  it("imports the msambare folder layout with folder names mapped to canonical classes", async () => {
    const root = tmp.file("archive");
    const face = (i: number, size = 48) =>
      sharp(faces[i].pixels, { raw: { width: 48, height: 48, channels: 1 } })
        .resize(size, size)
        .png()
        .toBuffer();
    const altered = Uint8Array.from(faces[3].pixels, (v) => 255 - v);
    await writeFixture(path.join(root, "train/neutral/Training_1.png"), await face(3));
    await writeFixture(
      path.join(root, "test/angry/PrivateTest_2.png"),
      await sharp(altered, { raw: { width: 48, height: 48, channels: 1 } })
        .png()
        .toBuffer(),
    );
    await writeFixture(path.join(root, "train/happy/big.png"), await face(4, 64));
    await writeFixture(path.join(root, "train/contempt/x.png"), await face(5));
    const summary = await importDataset({ db: database.db, store, path: root });
    expect(summary.format).toBe("folder (directory)");
    expect(summary.skipped).toBe(2);
    expect(Object.keys(summary.skippedByReason).sort()).toEqual(["folder", "image-size"]);
    // Training_1 has the same pixels as CSV row 3: linked, not stored again.
    expect(summary.duplicatesLinked).toBe(1);
    expect(summary.imagesAdded).toBe(1);

    const [added] = await queryRows<{ split: string; label: number }>(
      database.db,
      sql`select i.split, a.label from images i join annotations a on a.image_id = i.id
          where a.source = 'msambare' and i.split = 'test'`,
    );
    expect(added).toEqual({ split: "test", label: 0 });
    const [neutral] = await queryRows<{ label: number }>(
      database.db,
      sql`select a.label from annotations a join images i on i.id = a.image_id where a.source = 'msambare' and i.split = 'train'`,
    );
    expect(neutral.label).toBe(6);
  });

  it("stops on a truncated gzip with a clear message, keeps complete batches, and a rerun of the whole file completes", async () => {
    const fresh = await createTestDatabase();
    try {
      const whole = gzip(fer2013CsvText());
      const truncated = await writeFixture(
        tmp.file("cut/fer2013.csv.gz"),
        whole.subarray(0, Math.floor(whole.length * 0.7)),
      );
      await expect(importDataset({ db: fresh.db, store, path: truncated, batchSize: 4 })).rejects.toThrow(
        /truncated|ends early/i,
      );
      const [job] = await fresh.db.select().from(importJobs);
      expect(job.status).toBe("failed");
      expect(job.error).toMatch(/truncated|ends early/i);
      const kept = await fresh.db.$count(images);
      expect(kept).toBeGreaterThan(0);
      expect(kept % 4).toBe(0); // whole batches only

      const complete = await writeFixture(tmp.file("whole/fer2013.csv.gz"), whole);
      const summary = await importDataset({ db: fresh.db, store, path: complete, batchSize: 4 });
      expect(summary.alreadyImported).toBe(kept);
      expect(await fresh.db.$count(images)).toBe(30);
    } finally {
      await fresh.drop();
    }
  });

  it("rejects a file that is no dataset with a clear message", async () => {
    const junk = await writeFixture(tmp.file("notes.txt"), "hello,world\n1,2\n");
    await expect(importDataset({ db: database.db, store, path: junk })).rejects.toThrow(/notes\.txt/);
  });
});
