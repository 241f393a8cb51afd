import { timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { neonConfig, Pool, type PoolClient } from "@neondatabase/serverless";
import ws from "ws";

/**
 * Neon's SQL-over-HTTP protocol (what the driver's `neon()` function and `poolQueryViaFetch` speak), served on
 * loopback in front of a Postgres reached through the WebSocket proxy. Next.js runs edge-runtime routes locally in
 * a sandbox without WebSocket, so under `npm start` the edge routes send their single queries here over fetch,
 * exactly as they would to Neon's own endpoint; on a real edge host they use WebSockets and never need this.
 * As at Neon, the connection string sent with each request is the credential: its user and password must be the
 * database's own (DATABASE_URL's), or the answer is 401.
 */
export interface SqlOverHttpServer {
  /** The URL to put in DATABASE_HTTP_ENDPOINT. */
  endpoint: string;
  stop(): Promise<void>;
}

interface QueryData {
  query: string;
  params?: unknown[];
}

/** Every value comes back as Postgres's own text; the driver parses it by type, as it does for Neon. */
const RAW_TEXT = { getTypeParser: () => (value: string) => value };
/** The error fields the driver copies onto its NeonDbError (code, constraint, ... ), so callers can branch on them. */
const ERROR_FIELDS = [
  "severity",
  "code",
  "detail",
  "hint",
  "position",
  "internalPosition",
  "internalQuery",
  "where",
  "schema",
  "table",
  "column",
  "dataType",
  "constraint",
  "file",
  "line",
  "routine",
] as const;
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const ISOLATION: Record<string, string> = {
  ReadUncommitted: "read uncommitted",
  ReadCommitted: "read committed",
  RepeatableRead: "repeatable read",
  Serializable: "serializable",
};

export async function startSqlOverHttpServer(options: {
  databaseUrl: string;
  wsProxy: string;
  port?: number;
  maxConnections?: number;
}): Promise<SqlOverHttpServer> {
  neonConfig.webSocketConstructor = ws;
  neonConfig.wsProxy = (host: string, port: number | string) => `${options.wsProxy}/v2?address=${host}:${port}`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  neonConfig.pipelineConnect = false;
  const pool = new Pool({ connectionString: options.databaseUrl, max: options.maxConnections ?? 10 });
  pool.on("error", (error: Error) => console.error("sql-over-http pool error:", error.message));
  const expected = new URL(options.databaseUrl);
  const path = "/sql";

  const server = http.createServer((request, response) => {
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };
    if (request.method !== "POST" || request.url !== path) return reply(404, { message: "not found" });
    if (!sameCredentials(expected, request.headers["neon-connection-string"])) {
      return reply(401, { message: "the connection string's user or password is wrong" });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) request.destroy();
      else chunks.push(chunk);
    });
    request.on("end", async () => {
      let body: QueryData | { queries: QueryData[] };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        return reply(400, { message: "request body is not JSON" });
      }
      const client = await pool.connect().catch((error: Error) => error);
      if (client instanceof Error) return reply(503, { message: `database unavailable: ${client.message}` });
      try {
        if ("queries" in body) {
          const level = ISOLATION[String(request.headers["neon-batch-isolation-level"])] ?? "read committed";
          const readOnly = request.headers["neon-batch-read-only"] === "true" ? " read only" : "";
          await client.query(`begin isolation level ${level}${readOnly}`);
          try {
            const results = [];
            for (const query of body.queries) results.push(await run(client, query));
            await client.query("commit");
            reply(200, { results });
          } catch (error) {
            await client.query("rollback").catch(() => {});
            throw error;
          }
        } else {
          reply(200, await run(client, body));
        }
      } catch (error) {
        const fields = Object.fromEntries(
          ERROR_FIELDS.map((field) => [field, (error as Record<string, unknown>)[field]]).filter(
            ([, v]) => v !== undefined,
          ),
        );
        reply(400, { message: error instanceof Error ? error.message : String(error), ...fields });
      } finally {
        client.release();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}${path}`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}

async function run(client: PoolClient, { query, params }: QueryData) {
  const result = await client.query({ text: query, values: params ?? [], rowMode: "array", types: RAW_TEXT });
  return {
    command: result.command,
    rowCount: result.rowCount,
    rows: result.rows,
    fields: result.fields.map((field) => ({ name: field.name, dataTypeID: field.dataTypeID })),
    rowAsArray: true,
  };
}

/** Whether the connection string the driver sent names the database's user with its password. */
function sameCredentials(expected: URL, header: string | string[] | undefined): boolean {
  if (typeof header !== "string") return false;
  let given: URL;
  try {
    given = new URL(header);
  } catch {
    return false;
  }
  // For a URL without a password the driver writes "null" (or "undefined" in older versions).
  const password = (url: URL) => {
    const text = decodeURIComponent(url.password);
    return text === "null" || text === "undefined" ? "" : text;
  };
  const a = Buffer.from(`${decodeURIComponent(expected.username)}:${password(expected)}`);
  const b = Buffer.from(`${decodeURIComponent(given.username)}:${password(given)}`);
  return a.length === b.length && timingSafeEqual(a, b);
}
