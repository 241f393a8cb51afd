import { neonConfig } from "@neondatabase/serverless";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { images, users } from "../../db/schema";
import { queryRows } from "../../lib/db/query-rows";
import { openServerlessDatabase, type ServerlessDatabase } from "../../lib/db/serverless-database";
import { type SqlOverHttpServer, startSqlOverHttpServer } from "../../lib/db/sql-over-http-server";
import { createTestDatabase } from "../support/test-database";

// The edge routes' database as Next.js's local edge sandbox sees it (no WebSocket in Node 20, as there): every
// query goes over fetch, in Neon's SQL-over-HTTP protocol, to the server `npm start` runs, against a real Postgres.
describe("serverless database over SQL-over-HTTP", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let server: SqlOverHttpServer;
  let edge: ServerlessDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startSqlOverHttpServer({ databaseUrl: database.url, wsProxy: inject("postgresWsProxy") });
    edge = openServerlessDatabase({ url: database.url, httpEndpoint: server.endpoint });
  });
  afterAll(async () => {
    await edge?.close();
    await server?.stop();
    // neonConfig is process-wide: the Node-side handles below must use their WebSocket again.
    neonConfig.poolQueryViaFetch = false;
    await database?.drop();
  });

  it("runs drizzle queries over fetch with Postgres types parsed as over a socket", async () => {
    expect(edge.transactions).toBe(typeof WebSocket === "function");
    const [user] = await edge.db.insert(users).values({ email: "ann@example.org", role: "annotator" }).returning();
    expect(user.createdAt).toBeInstanceOf(Date);
    expect(user.role).toBe("annotator");
    const [viaSocket] = await database.db.select().from(users).where(eq(users.id, user.id));
    expect(viaSocket).toEqual(user);
    const [row] = await queryRows<{ a: number[]; j: { x: number }; n: null; b: boolean }>(
      edge.db,
      sql`select array[1,2,3]::int[] as a, '{"x":1}'::jsonb as j, null as n, ${true}::boolean as b`,
    );
    expect(row).toEqual({ a: [1, 2, 3], j: { x: 1 }, n: null, b: true });
  });

  it("passes Postgres errors through with their codes, and changes nothing on a failed statement", async () => {
    await edge.db.insert(images).values({ contentHash: "h1", split: "train", storageKey: "k", storageOffset: 0 });
    const error = await edge.db
      .insert(images)
      .values({ contentHash: "h1", split: "train", storageKey: "k2", storageOffset: 0 })
      .catch((e: unknown) => e);
    const cause = (error as { cause?: { code?: string } }).cause ?? (error as { code?: string });
    expect(cause.code).toBe("23505");
    expect(await database.db.$count(images)).toBe(1);
  });

  it("refuses a connection string with the wrong password, as Neon does", async () => {
    const url = new URL(database.url);
    url.password = "guessed";
    const response = await fetch(server.endpoint, {
      method: "POST",
      headers: { "Neon-Connection-String": url.toString() },
      body: JSON.stringify({ query: "select 1", params: [] }),
    });
    expect(response.status).toBe(401);
    const wrong = openServerlessDatabase({ url: url.toString(), httpEndpoint: server.endpoint });
    await expect(queryRows(wrong.db, sql`select 1`)).rejects.toThrow();
    await wrong.close();
  });
});
