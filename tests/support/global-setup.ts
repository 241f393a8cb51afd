import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startWebSocketProxy } from "../../lib/db/websocket-proxy";
import { startLocalS3Server } from "../../lib/storage/local-s3-server";
import { freePort } from "./free-port";
import { startPostgresServer } from "./postgres-server";
import { TEST_S3_BUCKET, TEST_S3_CREDENTIALS } from "./test-s3-credentials";

/**
 * Real services for the integration tests: a throwaway Postgres (reached through the WebSocket proxy the Neon
 * driver needs) and a local S3 server over HTTP. TEST_DATABASE_URL / TEST_S3_ENDPOINT point the tests at running
 * ones instead (CI starts them in .ci/run).
 */
declare module "vitest" {
  export interface ProvidedContext {
    postgresUrl: string;
    postgresWsProxy: string;
    s3: { endpoint: string };
  }
}

export default async function setup(project: TestProject) {
  const stops: Array<() => unknown> = [];

  let postgresUrl = process.env.TEST_DATABASE_URL;
  let target: { host: string; port: number };
  if (postgresUrl) {
    const parsed = new URL(postgresUrl);
    target = { host: parsed.hostname, port: Number(parsed.port || 5432) };
  } else {
    const server = await startPostgresServer(await freePort());
    stops.push(() => server.stop());
    postgresUrl = server.url;
    target = { host: server.host, port: server.port };
  }
  const proxy = await startWebSocketProxy({ target });
  stops.push(() => proxy.close());

  let endpoint = process.env.TEST_S3_ENDPOINT;
  if (!endpoint) {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), "faceloop-s3-"));
    const s3 = await startLocalS3Server({ directory, port: 0, bucket: TEST_S3_BUCKET, ...TEST_S3_CREDENTIALS });
    stops.push(async () => {
      await s3.stop();
      fs.rmSync(directory, { recursive: true, force: true });
    });
    endpoint = s3.endpoint;
  }

  project.provide("postgresUrl", postgresUrl);
  project.provide("postgresWsProxy", proxy.address);
  project.provide("s3", { endpoint });

  return async () => {
    for (const stop of stops.reverse()) await stop();
  };
}
