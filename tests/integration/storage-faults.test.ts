import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { withServiceErrors } from "../../app/_lib/with-service-errors";
import { loadEnv } from "../../lib/config/env";
import { queryRows } from "../../lib/db/query-rows";
import { openServices } from "../../lib/runtime/services";
import { type LocalS3Server, startLocalS3Server } from "../../lib/storage/local-s3-server";
import { createObjectStore, type ObjectStore } from "../../lib/storage/object-store";
import { type FaultProxy, startFaultProxy } from "../support/fault-proxy";
import { createTestDatabase } from "../support/test-database";
import { TEST_S3_CREDENTIALS } from "../support/test-s3-credentials";

/**
 * Storage that refuses connections or accepts them and never answers, simulated by a TCP double in front of the real
 * local S3 server: S3 calls must fail in bounded time with a 503/504 a person understands, and work again by
 * themselves once storage is back.
 */
const BUCKET = "faults";
let s3: LocalS3Server;
let proxy: FaultProxy;
let store: ObjectStore;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "faceloop-faults-s3-"));

beforeAll(async () => {
  s3 = await startLocalS3Server({ directory: dir, port: 0, bucket: BUCKET, ...TEST_S3_CREDENTIALS });
  proxy = await startFaultProxy({ host: "127.0.0.1", port: s3.port });
  store = createObjectStore({ ...TEST_S3_CREDENTIALS, endpoint: proxy.endpoint, bucket: BUCKET, timeoutMs: 500 });
  await store.put("face", "pixels");
});
afterAll(async () => {
  await proxy?.close();
  await s3?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A route handler that needs storage, as the app's are wrapped. */
const imageRoute = withServiceErrors(async () => new Response(Buffer.from(await store.get("face")).toString()));

describe("storage faults", () => {
  it("answers 503 with a message while storage refuses connections, and recovers by itself", async () => {
    await proxy.setMode("refuse");
    const response = await imageRoute();
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("30");
    expect(((await response.json()) as { error: string }).error).toMatch(/storage cannot be reached.*try again/i);

    await proxy.setMode("forward");
    const back = await imageRoute();
    expect(back.status).toBe(200);
    expect(await back.text()).toBe("pixels");
  });

  it("answers 504 when storage accepts but never answers, instead of hanging, and recovers by itself", async () => {
    await proxy.setMode("silent");
    // Without timeouts this never settles and the test itself times out.
    const response = await imageRoute();
    expect(response.status).toBe(504);
    expect(((await response.json()) as { error: string }).error).toMatch(/did not answer in time/);

    await proxy.setMode("forward");
    expect((await imageRoute()).status).toBe(200);
  });

  it("leaves errors that are not outages alone (a missing object is still a not-found)", async () => {
    const missing = withServiceErrors(async () => new Response(Buffer.from(await store.get("no-such-face")).toString()));
    await expect(missing()).rejects.toThrow(/Object not found/);
  });

  it("opens the services while storage is down, so routes that do not need it keep working", async () => {
    const database = await createTestDatabase();
    try {
      await proxy.setMode("refuse");
      const services = await openServices(
        loadEnv({
          DATABASE_URL: database.url,
          DATABASE_WS_PROXY: inject("postgresWsProxy"),
          S3_ENDPOINT: proxy.endpoint,
          S3_BUCKET: BUCKET,
          S3_ACCESS_KEY_ID: TEST_S3_CREDENTIALS.accessKeyId,
          S3_SECRET_ACCESS_KEY: TEST_S3_CREDENTIALS.secretAccessKey,
          S3_TIMEOUT_MS: "500",
        } as unknown as NodeJS.ProcessEnv),
      );
      try {
        const rows = await queryRows<{ n: number }>(services.db, sql`select count(*)::int as n from users`);
        expect(rows[0].n).toBe(0);
        await proxy.setMode("forward");
        expect(Buffer.from(await services.store.get("face")).toString()).toBe("pixels");
      } finally {
        await services.close();
      }
    } finally {
      await proxy.setMode("forward");
      await database.drop();
    }
  });
});
