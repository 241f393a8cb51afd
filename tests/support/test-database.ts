import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { createDatabase, type DatabaseHandle } from "../../lib/db/client";
import { migrateDatabase } from "../../lib/db/migrate";

/**
 * A fresh, migrated database on the test Postgres for one test file, through the Neon serverless driver (the
 * production path). Dropped again by `drop()`.
 */
export async function createTestDatabase(): Promise<DatabaseHandle & { name: string; url: string; drop(): Promise<void> }> {
  const serverUrl = inject("postgresUrl");
  const wsProxy = inject("postgresWsProxy");
  const name = `test_${randomBytes(6).toString("hex")}`;
  const admin = await createDatabase({ driver: "neon", url: serverUrl, wsProxy }, { maxConnections: 1 });
  await admin.db.execute(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await createDatabase({ driver: "neon", url: url.toString(), wsProxy });
  await migrateDatabase(handle);
  return {
    ...handle,
    name,
    url: url.toString(),
    async drop() {
      await handle.close();
      await admin.db.execute(`drop database if exists ${name} with (force)`);
      await admin.close();
    },
  };
}
