import { neonConfig, Pool } from "@neondatabase/serverless";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzleNeon } from "drizzle-orm/neon-serverless";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import ws from "ws";
import * as schema from "../../db/schema";
import type { DatabaseConfig } from "../config/env";

export type Schema = typeof schema;
/** The drizzle database, whichever driver is underneath. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export interface DatabaseHandle {
  db: Database;
  driver: DatabaseConfig["driver"];
  close(): Promise<void>;
}

/**
 * Builds the database client from configuration: the Neon serverless driver when a Postgres URL is configured
 * (Neon itself, or any Postgres behind a WebSocket proxy), embedded PGlite in a local folder otherwise.
 */
export async function createDatabase(
  config: DatabaseConfig,
  options: { maxConnections?: number } = {},
): Promise<DatabaseHandle> {
  if (config.driver === "neon") {
    configureNeon(config.wsProxy);
    const pool = new Pool({ connectionString: config.url, max: options.maxConnections ?? 10 });
    pool.on("error", (error: Error) => console.error("database pool error:", error.message));
    // A connection the server drops while checked out (e.g. idle in a transaction too long) emits "error" on its
    // client; the query in flight fails with it, and without a listener the whole process would crash.
    pool.on("connect", (client: { on(event: "error", listener: (error: Error) => void): unknown }) =>
      client.on("error", (error: Error) => console.error("database connection lost:", error.message)),
    );
    const db = drizzleNeon({ client: pool, schema }) as unknown as Database;
    return { db, driver: "neon", close: () => pool.end() };
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const client = await PGlite.create({ dataDir: config.dataDir });
  const db = drizzlePglite({ client, schema }) as unknown as Database;
  return { db, driver: "pglite", close: () => client.close() };
}

function configureNeon(wsProxy: string | undefined): void {
  neonConfig.webSocketConstructor = ws;
  if (wsProxy) {
    // A plain Postgres behind our proxy: no TLS on loopback, and no pipelining, which trust auth does not expect.
    neonConfig.wsProxy = (host: string, port: number | string) => `${wsProxy}/v2?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  }
}
