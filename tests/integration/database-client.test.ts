import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { images, users } from "../../db/schema";
import { createDatabase, type DatabaseHandle } from "../../lib/db/client";
import { migrateDatabase } from "../../lib/db/migrate";
import { queryRows } from "../../lib/db/query-rows";
import { createTestDatabase } from "../support/test-database";

async function exerciseDatabase(handle: DatabaseHandle) {
  const [user] = await handle.db.insert(users).values({ email: "ann@example.org", role: "annotator" }).returning();
  expect(user.role).toBe("annotator");

  // A transaction that throws leaves nothing behind.
  await expect(
    handle.db.transaction(async (tx) => {
      await tx.insert(images).values({ contentHash: "abc", split: "train", storageKey: "k", storageOffset: 0 });
      throw new Error("boom");
    }),
  ).rejects.toThrow("boom");
  const count = await handle.db.$count(images);
  expect(count).toBe(0);

  await handle.db.insert(images).values({ contentHash: "abc", split: "test", storageKey: "k", storageOffset: 0 });
  const [row] = await handle.db.select().from(images).where(eq(images.contentHash, "abc"));
  expect(row.split).toBe("test");
  // The content hash is unique: the same pixels cannot be stored twice.
  await expect(
    handle.db.insert(images).values({ contentHash: "abc", split: "train", storageKey: "k2", storageOffset: 0 }),
  ).rejects.toThrow();
  expect(await queryRows(handle.db, sql`select count(*)::int as n from images`)).toEqual([{ n: 1 }]);
}

describe("database client: Neon serverless driver against a real Postgres", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database?.drop());

  it("runs queries, transactions and constraints", async () => {
    expect(database.driver).toBe("neon");
    await exerciseDatabase(database);
  });

  it("migrations are idempotent and safe to run concurrently", async () => {
    await Promise.all([migrateDatabase(database), migrateDatabase(database)]);
    const [tables] = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from information_schema.tables where table_schema = 'public'`,
    );
    expect(tables.n).toBeGreaterThanOrEqual(13);
  });
});

describe("database client: embedded PGlite", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "faceloop-pglite-"));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it("migrates a new data folder, runs the same queries, and keeps data across reopen", async () => {
    const first = await createDatabase({ driver: "pglite", dataDir });
    await migrateDatabase(first);
    await exerciseDatabase(first);
    await first.close();

    const reopened = await createDatabase({ driver: "pglite", dataDir });
    await migrateDatabase(reopened);
    expect(await reopened.db.$count(users)).toBe(1);
    await reopened.close();
  });
});
