/**
 * Publishes an untrained compact model as the serving version of a running faceloop (the one whose DATA_DIR is in
 * the environment: its runtime.json says where its database and S3 listen), and prints the version as JSON.
 * `npx tsx tests/e2e/labelling/support/publish-model.ts` with DATA_DIR set; for browser tests and the benchmark.
 */
import { loadEnv } from "../../../../lib/config/env";
import { openServices } from "../../../../lib/runtime/services";
import { publishUntrainedCompact } from "../../../support/publish-untrained-compact";

async function main() {
  const services = await openServices(loadEnv());
  try {
    const published = await publishUntrainedCompact(services);
    process.stdout.write(`${JSON.stringify(published)}\n`);
  } finally {
    await services.close();
  }
}

// Exits explicitly: the database pool and the S3 client keep sockets that would hold the process open.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
