import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importJobs } from "../../db/schema";
import { queryRows } from "../../lib/db/query-rows";
import { fer2013Csv, fer2013Line, gzip, makeTempDir, writeFixture } from "../../lib/datasets/testing/fixtures";
import { importDataset } from "../../lib/import/import-dataset";
import { markInterruptedImports } from "../../lib/import/import-jobs";
import type { ObjectStore } from "../../lib/storage/object-store";
import { createTestDatabase } from "../support/test-database";
import { createTestStore } from "../support/test-s3";

/** Imported rows are known by their content, not their position in the file. */
describe("import identity", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: ObjectStore;
  let tmp: Awaited<ReturnType<typeof makeTempDir>>;
  const fileA = fer2013Csv(Array.from({ length: 8 }, (_, i) => fer2013Line(i % 7, "Training", 10 + i)));
  // Same row count, different faces: by position every row would look "already imported".
  const fileB = fer2013Csv(Array.from({ length: 8 }, (_, i) => fer2013Line((i + 1) % 7, "Training", 50 + i)));

  beforeAll(async () => {
    [database, store, tmp] = await Promise.all([createTestDatabase(), createTestStore(), makeTempDir()]);
  });
  afterAll(async () => {
    await database?.drop();
    await tmp?.cleanup();
  });

  it("imports a second, different CSV in full, and neither file again", async () => {
    const a = await importDataset({
      db: database.db,
      store,
      path: await writeFixture(tmp.file("a/fer2013.csv"), fileA),
      batchSize: 3,
    });
    expect(a.imagesAdded).toBe(8);
    const b = await importDataset({
      db: database.db,
      store,
      path: await writeFixture(tmp.file("b/fer2013.csv"), fileB),
      batchSize: 3,
    });
    expect(b).toMatchObject({ imagesAdded: 8, alreadyImported: 0 });
    // The same content recompressed, under another name, is the same rows.
    const again = await importDataset({
      db: database.db,
      store,
      path: await writeFixture(tmp.file("c/copy.csv.gz"), gzip(fileA)),
    });
    expect(again).toMatchObject({ imagesAdded: 0, duplicatesLinked: 0, alreadyImported: 8 });
    expect(await database.db.$count(importJobs)).toBe(3);
  });

  it("records the same face with another label in another file as that file's label", async () => {
    const relabelled = fer2013Csv([fer2013Line(5, "Training", 10)]); // file A said 0 (Angry) for this face
    const summary = await importDataset({
      db: database.db,
      store,
      path: await writeFixture(tmp.file("d/fer2013.csv"), relabelled),
    });
    expect(summary).toMatchObject({ imagesAdded: 0, duplicatesLinked: 1, alreadyImported: 0 });
    const labels = await queryRows<{ original_label: number; source_count: number }>(
      database.db,
      sql`
      select s.original_label, i.source_count from image_sources s join images i on i.id = s.image_id
      where i.id = (select image_id from image_sources where source_row = 0 order by id limit 1) order by s.id`,
    );
    expect(labels.map((l) => l.original_label)).toEqual([0, 5]);
    expect(labels[0].source_count).toBe(2);
  });

  it("marks an import whose process died as interrupted, and a rerun resumes it", async () => {
    const path = await writeFixture(tmp.file("e/fer2013.csv"), fer2013Csv([fer2013Line(3, "PublicTest", 90)]));
    // What kill -9 leaves behind: a job still "running", silent for long.
    const [dead] = await database.db
      .insert(importJobs)
      .values({ sourcePath: path, format: "fer2013 (csv)", heartbeatAt: new Date(Date.now() - 3_600_000) })
      .returning({ id: importJobs.id });
    const marked = await markInterruptedImports(database.db);
    expect(marked.map((m) => m.id)).toEqual([dead.id]);
    const [job] = await queryRows<{ status: string; error: string }>(
      database.db,
      sql`select status, error from import_jobs where id = ${dead.id}`,
    );
    expect(job.status).toBe("interrupted");
    expect(job.error).toMatch(/run the same import again/);

    const resumed = await importDataset({ db: database.db, store, path });
    expect(resumed.resumes).toEqual([dead.id]);
    expect(resumed.imagesAdded).toBe(1);
  });
});
