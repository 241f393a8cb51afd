import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import { startLocalS3Server, type LocalS3Server } from "./local-s3-server";
import { S3ObjectStore } from "./object-store";
import { createS3Client } from "./s3-client";

export interface LocalS3Fixture {
  server: LocalS3Server;
  client: S3Client;
  store: S3ObjectStore;
  credentials: { region: string; accessKeyId: string; secretAccessKey: string };
  stop(): Promise<void>;
}

/** A throwaway local S3 server in a temp folder with a client and store on it, for tests and benchmarks. */
export async function startLocalS3Fixture(bucket = "test-bucket"): Promise<LocalS3Fixture> {
  const directory = await mkdtemp(path.join(os.tmpdir(), "faceloop-s3-"));
  const credentials = { region: "us-east-1", accessKeyId: "faceloop-test", secretAccessKey: "faceloop-test-secret" };
  const server = await startLocalS3Server({ directory, port: 0, bucket, ...credentials });
  const client = createS3Client({ endpoint: server.endpoint, ...credentials });
  return {
    server,
    client,
    store: new S3ObjectStore(client, bucket),
    credentials,
    async stop() {
      client.destroy();
      await server.stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
