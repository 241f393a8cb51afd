import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type DatabaseHandle } from "../../lib/db/client";
import { type EmbeddedDatabaseServer, serveEmbeddedDatabase } from "../../lib/db/embedded-server";
import { queryRows } from "../../lib/db/query-rows";

/**
 * The embedded database served to several processes: many connections at once must each get their own answers
 * (extended-protocol cycles must not interleave) and transactions must stay atomic and isolated.
 */
describe("embedded PGlite served over the wire to the Neon driver", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "faceloop-embedded-"));
  let server: EmbeddedDatabaseServer;
  let pools: DatabaseHandle[];

  beforeAll(async () => {
    server = await serveEmbeddedDatabase({ dataDir, password: "embedded-test-password" });
    pools = await Promise.all(
      [0, 1].map(() => createDatabase({ driver: "neon", url: server.databaseUrl, wsProxy: server.wsProxy }, { maxConnections: 8 })),
    );
    await pools[0].db.execute(sql`create table counters (id int primary key, n int not null)`);
    await pools[0].db.execute(sql`insert into counters values (1, 0)`);
  });
  afterAll(async () => {
    for (const pool of pools ?? []) await pool.close();
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("answers 200 concurrent parameterised queries from 16 connections each with its own result", async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const rows = await queryRows<{ v: number; s: string }>(
          pools[i % 2].db,
          sql`select ${i}::int * 3 as v, repeat(${String.fromCharCode(97 + (i % 26))}, ${(i % 7) + 1}) as s`,
        );
        return { i, row: rows[0] };
      }),
    );
    for (const { i, row } of results) {
      expect(row).toEqual({ v: i * 3, s: String.fromCharCode(97 + (i % 26)).repeat((i % 7) + 1) });
    }
  });

  it("keeps concurrent read-modify-write transactions atomic", async () => {
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        pools[i % 2].db.transaction(async (tx) => {
          const [{ n }] = await queryRows<{ n: number }>(tx, sql`select n from counters where id = 1`);
          await tx.execute(sql`update counters set n = ${n + 1} where id = 1`);
        }),
      ),
    );
    const [{ n }] = await queryRows<{ n: number }>(pools[0].db, sql`select n from counters where id = 1`);
    expect(n).toBe(40);
  });

  it("rolls back a failed transaction and goes on serving others", async () => {
    await expect(
      pools[0].db.transaction(async (tx) => {
        await tx.execute(sql`update counters set n = -1 where id = 1`);
        await tx.execute(sql`select 1 / 0`);
      }),
    ).rejects.toThrow();
    const [{ n }] = await queryRows<{ n: number }>(pools[1].db, sql`select n from counters where id = 1`);
    expect(n).toBe(40);
  });
});
