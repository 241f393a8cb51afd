/**
 * `npm start`: the whole app on one machine with nothing configured. Hosts the embedded database and the local S3
 * server (unless DATABASE_URL / S3_ENDPOINT point elsewhere), applies migrations, seeds demo faces into an empty
 * database, builds the Next.js app when no build exists, and serves it. `--dev` runs `next dev` instead.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { readOrCreateAuthSecret } from "../auth/auth-secret";
import { loadEnv } from "../config/env";
import { seedDemoDataset } from "../demo/seed-demo-dataset";
import { seedDemoModel } from "../demo/seed-demo-model";
import { markInterruptedImports } from "../import/import-jobs";
import { startMislabelRefresher } from "../labelling/mislabel-refresher";
import { installLastResortHandler } from "../runtime/install-last-resort-handler";
import { provideLocalServices } from "../runtime/local-services";
import { openServices } from "../runtime/services";

async function main() {
  const dev = process.argv.includes("--dev");
  const env = loadEnv();
  console.log("faceloop: starting services ...");
  const local = await provideLocalServices(env, { host: true });
  let stopServer = async (code: number): Promise<void> => {
    await local.stop();
    process.exit(code);
  };
  installLastResortHandler({ name: "faceloop", shutdown: (code) => stopServer(code) });
  const services = await openServices(local.env);
  console.log(
    `  database: ${env.DATABASE_URL ? "Postgres (DATABASE_URL)" : `embedded PGlite in ${path.resolve(env.DATA_DIR, "pglite")}`}`,
  );
  console.log(
    `  storage:  ${env.S3_ENDPOINT ?? `local S3 server at ${local.env.S3_ENDPOINT}, files in ${path.resolve(env.DATA_DIR, "s3")}`}`,
  );

  for (const job of await markInterruptedImports(services.db)) {
    console.log(`  import #${job.id} of ${job.sourcePath} was interrupted; run the same import again to resume it`);
  }
  const seeded = await seedDemoDataset(services.db, services.store);
  if (seeded > 0) {
    console.log(
      `  seeded ${seeded} synthetic demo faces (import real data with: npm run import -- path/to/fer2013.csv)`,
    );
  }
  const demoModel = await seedDemoModel(services.db, services.store, { log: (line) => console.log(`  ${line}`) });
  if (demoModel) console.log(`  published a demo model (${demoModel.version}) so suggestions work at once`);
  // This process lives as long as the site: it keeps the mislabel queue's cache fresh (the trainer does elsewhere).
  const refresher = startMislabelRefresher(services.db);

  const next = path.resolve("node_modules/.bin/next");
  // Sessions need a signing secret and the site's own URL; a zero-setup install generates the one and knows the other.
  const auth = {
    NEXTAUTH_SECRET: env.NEXTAUTH_SECRET ?? readOrCreateAuthSecret(env.DATA_DIR),
    NEXTAUTH_URL: env.NEXTAUTH_URL ?? `http://127.0.0.1:${env.PORT}`,
  };
  const childEnv = { ...process.env, ...stringEnv(local.env), ...auth, NEXT_TELEMETRY_DISABLED: "1" };
  const distDir = process.env.NEXT_DIST_DIR || ".next";
  if (!dev && buildIsStale(path.join(distDir, "BUILD_ID"))) {
    console.log("faceloop: building the web app (first start or changed sources; about a minute) ...");
    const build = spawnSync(next, ["build"], { stdio: "inherit", env: childEnv });
    if (build.status !== 0) {
      await refresher.stop();
      await services.close();
      await local.stop();
      process.exit(build.status ?? 1);
    }
  }
  const server = spawn(next, [dev ? "dev" : "start", "-p", String(env.PORT), "-H", "127.0.0.1"], {
    stdio: "inherit",
    env: childEnv,
  });
  console.log(`faceloop: http://127.0.0.1:${env.PORT}`);

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    server.kill("SIGTERM");
    await refresher.stop();
    await services.close();
    await local.stop();
    process.exit(code);
  };
  stopServer = stop;
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  server.on("exit", (code) => void stop(code ?? 0));
}

/** True when there is no build yet or a source of the web app changed after it (e.g. after a `git pull`). */
function buildIsStale(buildId: string): boolean {
  if (!fs.existsSync(buildId)) return true;
  const built = fs.statSync(buildId).mtimeMs;
  const newer = (entry: string): boolean => {
    const stat = fs.statSync(entry);
    if (!stat.isDirectory()) return stat.mtimeMs > built;
    return fs.readdirSync(entry).some((name) => newer(path.join(entry, name)));
  };
  return ["app", "components", "lib", "db", "public", "next.config.ts", "package-lock.json"]
    .filter((entry) => fs.existsSync(entry))
    .some(newer);
}

function stringEnv(env: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, String(v)]),
  );
}

main().catch((error) => {
  console.error(`faceloop: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
