/**
 * A worker process for the kill-and-resume test: claims the given run and trains it, against the test database and
 * bucket named in the environment. The test kills it with SIGKILL part way.
 */
import { createDatabase } from "../../lib/db/client";
import { claimRun } from "../../lib/runs/run-queue";
import { createObjectStore } from "../../lib/storage/object-store";
import { selectBackend } from "../../lib/tf/select-backend";
import { runTrainingJob } from "../../trainer/run-training-job";
import { TEST_S3_CREDENTIALS } from "./test-s3-credentials";

const runId = Number(process.argv[2]);
await selectBackend({ prefer: "wasm" });
const database = await createDatabase({
  driver: "neon",
  url: process.env.TEST_DATABASE_URL!,
  wsProxy: process.env.TEST_WS_PROXY,
});
const store = createObjectStore({ ...TEST_S3_CREDENTIALS, endpoint: process.env.TEST_S3_ENDPOINT!, bucket: process.env.TEST_S3_BUCKET! });
const run = await claimRun(database.db, runId, "doomed-worker");
if (!run) throw new Error(`run ${runId} is not queued`);
await runTrainingJob({ db: database.db, store, workerId: "doomed-worker", heartbeatMs: 1000 }, run);
await database.close();
