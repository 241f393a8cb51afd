import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDatabase, type DatabaseHandle } from "../../lib/db/client";
import { migrateDatabase } from "../../lib/db/migrate";
import { startWebSocketProxy } from "../../lib/db/websocket-proxy";
import { startLocalS3Server } from "../../lib/storage/local-s3-server";
import { createObjectStore, type ObjectStore } from "../../lib/storage/object-store";
import { freePort } from "./free-port";
import { startPostgresServer } from "./postgres-server";
import { TEST_S3_CREDENTIALS } from "./test-s3-credentials";

/**
 * What a benchmark runs against: a throwaway Postgres (through the Neon driver, as in production) and a local S3
 * server, both started here and stopped by `stop()`; or running ones named by BENCH_DATABASE_URL (+
 * BENCH_DATABASE_WS_PROXY) and BENCH_S3_ENDPOINT.
 */
export interface BenchServices {
  database: DatabaseHandle;
  store: ObjectStore;
  describe: string;
  stop(): Promise<void>;
}

export async function startBenchServices(): Promise<BenchServices> {
  const stops: Array<() => unknown> = [];
  const descriptions: string[] = [];
  let url = process.env.BENCH_DATABASE_URL;
  let wsProxy = process.env.BENCH_DATABASE_WS_PROXY;
  if (!url) {
    const server = await startPostgresServer(await freePort());
    stops.push(() => server.stop());
    const proxy = await startWebSocketProxy({ target: { host: server.host, port: server.port } });
    stops.push(() => proxy.close());
    url = server.url;
    wsProxy = proxy.address;
    descriptions.push("throwaway PostgreSQL via the Neon driver");
  } else {
    descriptions.push("PostgreSQL at BENCH_DATABASE_URL");
  }
  const database = await createDatabase({ driver: "neon", url, wsProxy });
  stops.unshift(() => database.close());
  await migrateDatabase(database);

  let endpoint = process.env.BENCH_S3_ENDPOINT;
  if (!endpoint) {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), "faceloop-bench-s3-"));
    const s3 = await startLocalS3Server({ directory, port: 0, bucket: "faceloop-bench", ...TEST_S3_CREDENTIALS });
    stops.push(async () => {
      await s3.stop();
      fs.rmSync(directory, { recursive: true, force: true });
    });
    endpoint = s3.endpoint;
    descriptions.push("local S3 server (s3rver)");
  } else {
    descriptions.push(`S3 at ${endpoint}`);
  }
  const store = createObjectStore({ ...TEST_S3_CREDENTIALS, endpoint, bucket: "faceloop-bench" });
  await store.ensureBucket();
  return {
    database,
    store,
    describe: descriptions.join(", "),
    async stop() {
      for (const stop of stops) await stop();
    },
  };
}
