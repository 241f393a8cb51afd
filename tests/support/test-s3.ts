import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { createObjectStore, type ObjectStore } from "../../lib/storage/object-store";
import { TEST_S3_CREDENTIALS } from "./test-s3-credentials";


/** A new, empty bucket on the test S3 server for one test file. */
export async function createTestStore(): Promise<ObjectStore> {
  const s3 = inject("s3");
  const store = createObjectStore({ ...TEST_S3_CREDENTIALS, endpoint: s3.endpoint, bucket: `test-${randomBytes(6).toString("hex")}` });
  await store.ensureBucket();
  return store;
}
