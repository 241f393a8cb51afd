import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { drizzle } from "drizzle-orm/pglite";
import * as schema from "../../db/schema";
import type { Database } from "./client";
import { migrateDatabase } from "./migrate";
import { startWebSocketProxy } from "./websocket-proxy";

/**
 * The zero-setup database: PGlite in a local folder, opened by one process (the start command) and served to the
 * others (the Next.js server, the trainer, CLI imports) as a Postgres on loopback, behind the WebSocket proxy the
 * Neon driver speaks to. So every process uses the production driver, and only this one touches the folder.
 */
export interface EmbeddedDatabaseServer {
  /** What to put in DATABASE_URL / DATABASE_WS_PROXY for the other processes. */
  databaseUrl: string;
  wsProxy: string;
  /** Direct access for the hosting process itself. */
  db: Database;
  stop(): Promise<void>;
}

export async function serveEmbeddedDatabase(options: { dataDir: string; port?: number }): Promise<EmbeddedDatabaseServer> {
  const client = await PGlite.create({ dataDir: options.dataDir });
  const db = drizzle({ client, schema }) as unknown as Database;
  await migrateDatabase({ db, driver: "pglite", close: async () => {} });
  const socketServer = new PGLiteSocketServer({ db: client, host: "127.0.0.1", port: options.port ?? 0, maxConnections: 64 });
  await socketServer.start();
  const port = Number(socketServer.getServerConn().split(":").pop());
  const proxy = await startWebSocketProxy({ target: { host: "127.0.0.1", port } });
  return {
    databaseUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    wsProxy: proxy.address,
    db,
    async stop() {
      await proxy.close();
      await socketServer.stop();
      await client.close();
    },
  };
}
