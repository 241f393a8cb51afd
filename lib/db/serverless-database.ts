import { neonConfig, Pool } from "@neondatabase/serverless";
import { drizzle } from "drizzle-orm/neon-serverless";
import * as schema from "../../db/schema";
import type { Database } from "./client";

/**
 * The database for edge-runtime code: the Neon driver with nothing but Web APIs (the runtime's own WebSocket, and
 * fetch). One pool per request, ended when the request is done: edge hosts do not let one request's socket serve
 * another. Where the runtime has no WebSocket (Next.js's local edge sandbox under `npm start`), single queries go
 * over fetch to DATABASE_HTTP_ENDPOINT (Neon's SQL-over-HTTP protocol); transactions then need a WebSocket and fail.
 * The driver's settings are global to the isolate: edge bundles have their own copy, Node processes must not mix this
 * with lib/db/client.ts.
 */
export interface ServerlessDatabaseConfig {
  url: string;
  /** For a plain Postgres behind faceloop's WebSocket proxy (host:port). */
  wsProxy?: string;
  /** Neon's SQL-over-HTTP endpoint, when not Neon's own (https://api.<host>/sql). */
  httpEndpoint?: string;
}

export interface ServerlessDatabase {
  db: Database;
  /** Whether `db.transaction` can work here (it needs a WebSocket). */
  transactions: boolean;
  close(): Promise<void>;
}

export function openServerlessDatabase(config: ServerlessDatabaseConfig): ServerlessDatabase {
  const webSocket = (globalThis as { WebSocket?: typeof WebSocket }).WebSocket;
  if (webSocket) neonConfig.webSocketConstructor = webSocket;
  neonConfig.poolQueryViaFetch = !webSocket || Boolean(config.httpEndpoint);
  if (config.httpEndpoint) neonConfig.fetchEndpoint = config.httpEndpoint;
  if (config.wsProxy) {
    const proxy = config.wsProxy;
    // A plain Postgres behind our proxy: no TLS on loopback, and no pipelining, which trust auth does not expect.
    neonConfig.wsProxy = (host: string, port: number | string) => `${proxy}/v2?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  }
  const pool = new Pool({ connectionString: config.url, max: 4 });
  const db = drizzle({ client: pool, schema }) as unknown as Database;
  return { db, transactions: Boolean(webSocket), close: () => pool.end() };
}
