import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { createS3Client } from "../../lib/storage/s3-client";
import { type ObjectStore, S3ObjectStore } from "../../lib/storage/object-store";
import { TEST_S3_CREDENTIALS } from "./test-s3-credentials";


/** A new, empty bucket on the test S3 server for one test file. */
export async function createTestStore(): Promise<ObjectStore> {
  const s3 = inject("s3");
  const client = createS3Client({ ...TEST_S3_CREDENTIALS, endpoint: s3.endpoint });
  const store = new S3ObjectStore(client, `test-${randomBytes(6).toString("hex")}`);
  await store.ensureBucket();
  return store;
}
