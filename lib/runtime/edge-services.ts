import type { S3Client } from "@aws-sdk/client-s3";
import { type Env, loadEnv } from "../config/env";
import type { Database } from "../db/client";
import { openServerlessDatabase } from "../db/serverless-database";
import { createS3Client } from "../storage/s3-client";
import { type ObjectReader, S3ObjectReader } from "../storage/s3-object-reader";

/**
 * What an edge-runtime route works with: Postgres through the Neon driver (WebSocket, or fetch where the runtime has
 * no WebSocket) and S3 reads over fetch, from configuration alone. Nothing is started here and nothing outlives the
 * request but two lossable caches (the validated environment and the fetch-based S3 client); the database pool is
 * the request's own and closes with it.
 */
export interface EdgeServices {
  env: Env;
  db: Database;
  store: ObjectReader;
  /** Whether db.transaction works in this runtime. */
  transactions: boolean;
  close(): Promise<void>;
}

let cached: { env: Env; s3: S3Client } | undefined;

export function openEdgeServices(): EdgeServices {
  cached ??= fromEnvironment(loadEnv());
  const { env, s3 } = cached;
  if (!env.DATABASE_URL) {
    throw new Error(
      "DATABASE_URL is not set: edge routes need a Postgres URL (npm start fills it in for the embedded one)",
    );
  }
  const database = openServerlessDatabase({
    url: env.DATABASE_URL,
    wsProxy: env.DATABASE_WS_PROXY,
    httpEndpoint: env.DATABASE_HTTP_ENDPOINT,
  });
  return {
    env,
    db: database.db,
    store: new S3ObjectReader(s3, env.S3_BUCKET),
    transactions: database.transactions,
    close: database.close,
  };
}

function fromEnvironment(env: Env): { env: Env; s3: S3Client } {
  const s3 = createS3Client({
    endpoint: env.S3_ENDPOINT,
    region: env.S3_REGION,
    accessKeyId: env.S3_ACCESS_KEY_ID,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY,
    timeoutMs: env.S3_TIMEOUT_MS,
  });
  return { env, s3 };
}
