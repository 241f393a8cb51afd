/**
 * `npm run score -- --version <id>`: scores the pool again with a published version (after a scoring failure, which
 * the version records; the run that published it still succeeded). Images it already scored are skipped.
 */
import { parseArgs } from "node:util";
import { loadEnv } from "../lib/config/env";
import { getModelVersion } from "../lib/model-versions/get-model-version";
import { loadModelFiles } from "../lib/model-versions/model-files";
import { scoreModelVersion } from "../lib/model-versions/score-model-version";
import { openServices } from "../lib/runtime/services";
import { selectBackend } from "../lib/tf/select-backend";

async function main() {
  const { values } = parseArgs({ args: process.argv.slice(2).filter((a) => a !== "--"), options: { version: { type: "string" } } });
  const id = Number(values.version);
  if (!Number.isInteger(id) || id <= 0) {
    console.error("usage: npm run score -- --version <model version id>");
    process.exit(2);
  }
  const env = loadEnv();
  await selectBackend(env.TRAINER_BACKEND === "auto" ? {} : { prefer: env.TRAINER_BACKEND });
  const services = await openServices(env);
  try {
    const version = await getModelVersion(services.db, id);
    if (!version) throw new Error(`no model version ${id}`);
    const model = await loadModelFiles(services.store, version.storagePrefix);
    const outcome = await scoreModelVersion(services.db, services.store, model, id, {
      onProgress: (p) => void process.stdout.write(`\rscored ${p.scored}/${p.total}`),
    });
    model.dispose();
    console.log(outcome.status === "succeeded" ? `\nversion ${id}: scored ${outcome.scored} images` : `\nversion ${id}: scoring failed: ${outcome.error}`);
    process.exitCode = outcome.status === "succeeded" ? 0 : 1;
  } finally {
    await services.close();
  }
}

main().catch((error) => {
  console.error(`score: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
