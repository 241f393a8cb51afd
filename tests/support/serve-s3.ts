/**
 * Runs the local S3 server in the foreground for CI (`.ci/run`) or by hand:
 * `npx tsx tests/support/serve-s3.ts --port 54569 --dir /tmp/s3`. Uses the test credentials the suite expects.
 */
import { parseArgs } from "node:util";
import { startLocalS3Server } from "../../lib/storage/local-s3-server";
import { TEST_S3_BUCKET, TEST_S3_CREDENTIALS } from "./test-s3-credentials";

const { values } = parseArgs({ options: { port: { type: "string", default: "0" }, dir: { type: "string" } } });
if (!values.dir) throw new Error("--dir is required");
const server = await startLocalS3Server({
  directory: values.dir,
  port: Number(values.port),
  bucket: TEST_S3_BUCKET,
  ...TEST_S3_CREDENTIALS,
});
console.log(`S3 server at ${server.endpoint}`);
const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
