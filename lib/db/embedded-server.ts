import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import * as schema from "../../db/schema";
import type { Database } from "./client";
import { migrateDatabase } from "./migrate";
import { startPgliteWireServer } from "./pglite-wire-server";
import { startWebSocketProxy } from "./websocket-proxy";

/**
 * The zero-setup database: PGlite in a local folder, opened by one process (the start command) and served to the
 * others (the Next.js server, the trainer, CLI imports) as a Postgres on loopback, behind the WebSocket proxy the
 * Neon driver speaks to. So every process uses the production driver, and only this one touches the folder.
 */
export interface EmbeddedDatabaseServer {
  /** What to put in DATABASE_URL / DATABASE_WS_PROXY for the other processes (and this one). */
  databaseUrl: string;
  wsProxy: string;
  wirePort: number;
  stop(): Promise<void>;
}

export async function serveEmbeddedDatabase(options: {
  /** Unset: an in-memory database (tests). */
  dataDir?: string;
  /** The password every connection must present (see local-credentials.ts). */
  password: string;
  port?: number;
  idleInTransactionMs?: number;
}): Promise<EmbeddedDatabaseServer> {
  const client = await PGlite.create(options.dataDir ? { dataDir: options.dataDir } : {});
  // Migrate before anyone can connect; afterwards the folder is only reached through the wire server.
  await migrateDatabase({
    db: drizzle({ client, schema }) as unknown as Database,
    driver: "pglite",
    close: async () => {},
  });
  const wire = await startPgliteWireServer(client, {
    password: options.password,
    port: options.port,
    idleInTransactionMs: options.idleInTransactionMs,
  });
  const proxy = await startWebSocketProxy({ target: { host: "127.0.0.1", port: wire.port } });
  return {
    databaseUrl: `postgres://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${wire.port}/postgres`,
    wirePort: wire.port,
    wsProxy: proxy.address,
    async stop() {
      await proxy.close();
      await wire.stop();
      await client.close();
    },
  };
}
