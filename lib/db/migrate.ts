import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { migrate as migrateNeon } from "drizzle-orm/neon-serverless/migrator";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import type { DatabaseHandle } from "./client";

const MIGRATIONS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../db/migrations");
// Any constant works; it keeps the app, the trainer and the importer from migrating at the same moment.
const MIGRATION_LOCK = 7_402_113;

/** Applies db/migrations. Safe to call from several processes at once. */
export async function migrateDatabase(handle: DatabaseHandle): Promise<void> {
  if (handle.driver === "pglite") {
    // PGlite is one process's private database: no lock needed.
    await migratePglite(handle.db as never, { migrationsFolder: MIGRATIONS });
    return;
  }
  await handle.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    await migrateNeon(tx as never, { migrationsFolder: MIGRATIONS });
  });
}
