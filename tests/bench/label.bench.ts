/**
 * `npm run bench:label`: the labelling queue under many annotators, through the real web server.
 *
 * Starts a throwaway PostgreSQL (behind the WebSocket proxy the Neon driver needs) and a local S3 server, seeds
 * ~35k synthetic faces (plus a serving model version with predictions, so every strategy has data), builds the app
 * into its own Next build folder when there is no build yet, and starts `next start` against those services. Then
 * simulated annotators (signed in with minted session cookies) loop GET /api/label/next?count=1 -> POST
 * /api/label/annotations, back to back, at each concurrency for a fixed time, and once more at the highest
 * concurrency at a human pace (a think time per label). Prints latency percentiles per endpoint and combined,
 * throughput and errors, then checks the database holds exactly the acknowledged labels. Stops everything it started.
 *
 * Options: --levels=1,10,50  --duration=10 (seconds per level)  --think-ms=1000 (paced run; 0 skips it)
 *          --paced-duration=30 (seconds of the paced run: at ~1 label/s per annotator it needs longer for a steady p99)
 *          --strategy=unreviewed|uncertain|mislabel|random  --images=35000  --port=3301  --explain (print query plans)
 * The load runs in a worker thread, so it never delays the database proxy that shares this process.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { sql } from "drizzle-orm";
import { mintSessionToken } from "../../lib/auth/session-token";
import { createDatabase, type Database } from "../../lib/db/client";
import { migrateDatabase } from "../../lib/db/migrate";
import { queryRows } from "../../lib/db/query-rows";
import { startSqlOverHttpServer } from "../../lib/db/sql-over-http-server";
import { startWebSocketProxy } from "../../lib/db/websocket-proxy";
import type { EmotionIndex } from "../../lib/emotions";
import { syntheticFace } from "../../lib/images/synthetic-faces";
import { mulberry32 } from "../../lib/random";
import { type IncomingImage, writeImageBatch } from "../../lib/import/image-batch-writer";
import { claimStatement } from "../../lib/labelling/claim-label-items";
import { isLabelStrategy, type LabelStrategy } from "../../lib/labelling/label-strategies";
import { rebuildMislabelScores } from "../../lib/labelling/mislabel-scores";
import { startLocalS3Server } from "../../lib/storage/local-s3-server";
import { createObjectStore } from "../../lib/storage/object-store";
import { freePort } from "../support/free-port";
import { startPostgresServer } from "../support/postgres-server";
import { TEST_S3_CREDENTIALS } from "../support/test-s3-credentials";

const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== "--"),
  options: {
    levels: { type: "string", default: "1,10,50" },
    duration: { type: "string", default: "10" },
    "paced-duration": { type: "string", default: "30" },
    "think-ms": { type: "string", default: "1000" },
    strategy: { type: "string", default: "unreviewed" },
    images: { type: "string", default: "35000" },
    port: { type: "string", default: "3301" },
    explain: { type: "boolean", default: false },
  },
});
const levels = args.levels.split(",").map(Number);
const durationMs = Number(args.duration) * 1000;
const pacedDurationMs = Number(args["paced-duration"]) * 1000;
const thinkMs = Number(args["think-ms"]);
const strategyArg = args.strategy;
const imageCount = Number(args.images);
const port = Number(args.port);
const distDir = process.env.NEXT_DIST_DIR || ".next";
if (!isLabelStrategy(strategyArg)) throw new Error(`--strategy must be unreviewed, uncertain, mislabel or random`);
const strategy: LabelStrategy = strategyArg;
const maxLevel = Math.max(...levels);
const annotatorCount = levels.reduce((a, b) => a + b, 0) + (thinkMs > 0 ? maxLevel : 0);
const OVERLAP = 3;

const stops: Array<() => unknown> = [];
async function stopAll() {
  for (const stop of stops.reverse()) {
    try {
      await stop();
    } catch (error) {
      console.error("stopping:", error instanceof Error ? error.message : error);
    }
  }
  stops.length = 0;
}
process.on("SIGINT", () => void stopAll().then(() => process.exit(130)));

const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");

// ---------------------------------------------------------------- helpers

interface Ack {
  clientRequestId: string;
  annotationId: number;
  imageId: number;
  annotatorId: string;
}

interface LoadResult {
  next: number[];
  save: number[];
  acks: Ack[];
  errors: Record<string, number>;
  errorCount: number;
  elapsedMs: number;
}

function runLoad(options: {
  baseUrl: string;
  annotators: { id: string; cookie: string }[];
  durationMs: number;
  thinkMs: number;
  strategy: LabelStrategy;
  warmup: boolean;
}): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(loadWorkerSource(), { eval: true, workerData: options });
    worker.once("message", resolve);
    worker.once("error", reject);
    worker.once("exit", (code) => code !== 0 && reject(new Error(`load worker exited with ${code}`)));
  });
}

/**
 * The simulated annotators, in plain JavaScript for a worker thread: one keep-alive connection each, GET next ->
 * (think) -> POST label, timing each request. A POST that fails without an answer is retried once with the same
 * clientRequestId, as the browser does; idempotency makes that safe.
 */
function loadWorkerSource(): string {
  return `
const http = require("node:http");
const { randomUUID } = require("node:crypto");
const { workerData, parentPort } = require("node:worker_threads");
const { baseUrl, annotators, durationMs, thinkMs, strategy } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: annotators.length + 1 });
const url = new URL(baseUrl);
const result = { next: [], save: [], acks: [], errors: {}, errorCount: 0, elapsedMs: 0 };
const fail = (kind) => { result.errors[kind] = (result.errors[kind] || 0) + 1; result.errorCount++; };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function request(method, path, cookie, body) {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const started = performance.now();
    const req = http.request({ agent, host: url.hostname, port: url.port, method, path,
      headers: { cookie, ...(payload ? { "content-type": "application/json", "content-length": payload.length } : {}) } },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const ms = performance.now() - started;
          let json = null;
          try { json = JSON.parse(Buffer.concat(chunks).toString("utf8")); } catch {}
          resolve({ status: res.statusCode, json, ms });
        });
      });
    req.on("error", (error) => resolve({ status: 0, json: { error: error.message }, ms: performance.now() - started }));
    if (payload) req.write(payload);
    req.end();
  });
}

async function annotate(annotator, deadline) {
  while (performance.now() < deadline) {
    const next = await request("GET", "/api/label/next?strategy=" + strategy + "&count=1", annotator.cookie);
    result.next.push(next.ms);
    if (next.status !== 200) { fail("GET next " + next.status + ": " + (next.json && next.json.error)); await sleep(50); continue; }
    const item = next.json.items[0];
    if (!item) { fail("GET next: empty queue"); await sleep(50); continue; }
    if (thinkMs > 0) await sleep(thinkMs * (0.5 + Math.random()));
    const body = { clientRequestId: randomUUID(), imageId: item.imageId, label: item.imageId % 7, durationMs: 900,
      suggestedLabel: item.blind ? null : 3, suggestionModelVersionId: item.blind || !next.json.servingModel ? null : next.json.servingModel.id,
      blind: item.blind };
    let save = await request("POST", "/api/label/annotations", annotator.cookie, body);
    result.save.push(save.ms);
    if (save.status === 0 || save.status >= 500) {
      fail("POST label " + save.status + " (retried): " + (save.json && save.json.error));
      save = await request("POST", "/api/label/annotations", annotator.cookie, body);
      result.save.push(save.ms);
    }
    if (save.status !== 200) { fail("POST label " + save.status + ": " + (save.json && save.json.error)); continue; }
    result.acks.push({ clientRequestId: body.clientRequestId, annotationId: save.json.annotationId, imageId: item.imageId, annotatorId: annotator.id });
  }
}

(async () => {
  const started = performance.now();
  // Annotators start spread over one think time (200 ms back to back), so a paced run measures its steady state
  // rather than all of them asking at the same instant.
  const spreadMs = thinkMs > 0 ? thinkMs : 200;
  await Promise.all(annotators.map(async (a, i) => { await sleep((i * spreadMs) / annotators.length); await annotate(a, started + durationMs); }));
  result.elapsedMs = performance.now() - started;
  agent.destroy();
  parentPort.postMessage(result);
})();
`;
}

const CLOCK_TICKS = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

/** CPU milliseconds (user + system) a process and its descendants used so far; 0 where /proc cannot tell (not Linux). */
function processTreeCpuMs(root: number): number {
  const stats = readProcStats();
  const children = new Map<number, number[]>();
  for (const stat of stats.values()) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat.pid]);
  let total = 0;
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.pop()!;
    total += stats.get(pid)?.ticks ?? 0;
    queue.push(...(children.get(pid) ?? []));
  }
  return (total * 1000) / CLOCK_TICKS;
}

function readProcStats(): Map<number, { pid: number; ppid: number; ticks: number }> {
  const stats = new Map<number, { pid: number; ppid: number; ticks: number }>();
  if (!fs.existsSync("/proc")) return stats;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the parenthesised command name: state ppid ... utime(14) stime(15).
      const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
      stats.set(Number(entry), {
        pid: Number(entry),
        ppid: Number(fields[1]),
        // utime + stime, plus cutime + cstime: children it has reaped (database backends that closed).
        ticks: Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]),
      });
    } catch {
      // the process ended meanwhile
    }
  }
  return stats;
}

/** The PostgreSQL server process listening on `port` (its backends are its children). */
function findPostmaster(port: number): number | null {
  if (!fs.existsSync("/proc")) return null;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (args[0]?.endsWith("/postgres") && args.includes("-p") && args[args.indexOf("-p") + 1] === String(port))
        return Number(entry);
    } catch {
      // the process ended meanwhile
    }
  }
  return null;
}

/** The issue's target: p99 at 50 annotators. */
const P99_TARGET_MS = 25;

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function percentiles(values: number[]): string {
  if (values.length === 0) return "-";
  return [0.5, 0.95, 0.99].map((q) => quantile(values, q).toFixed(1)).join(" / ");
}

async function waitForServer(url: string, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`next start exited with ${server.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.status === 401) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the server did not answer at ${url}`);
}

function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }, 5000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      resolve();
    }
  });
}

/** The claim statement's plan for a fresh annotator, per strategy, at this size: what the indexes do. */
async function explainClaims(db: Database, servingVersionId: number): Promise<void> {
  await rebuildMislabelScores(db, servingVersionId);
  for (const s of ["unreviewed", "uncertain", "mislabel", "random"] as const) {
    const [annotator] = await queryRows<{ id: string }>(
      db,
      sql`insert into users (email, role) values (${`bench-explain-${s}@example.org`}, 'annotator') returning id`,
    );
    const statement = claimStatement(
      {
        annotatorId: annotator.id,
        strategy: s,
        count: 5,
        settings: { overlap: OVERLAP, leaseSeconds: 300, blindShare: 0.1 },
      },
      servingVersionId,
    );
    const plan = await queryRows<{ "QUERY PLAN": string }>(
      db,
      sql`explain (analyze, costs off, timing off, summary on) ${statement}`,
    );
    console.log(`\n--- claim plan, strategy ${s}`);
    console.log(
      plan
        .map((r) => r["QUERY PLAN"])
        .filter((line) => !/^\s+Buffers/.test(line))
        .join("\n"),
    );
  }
}

async function main(): Promise<never> {
  try {
    // ---------------------------------------------------------------- services
    const pg = await startPostgresServer(await freePort());
    stops.push(() => pg.stop());
    const proxy = await startWebSocketProxy({ target: { host: pg.host, port: pg.port } });
    stops.push(() => proxy.close());
    // The edge-runtime label routes under `next start` have no WebSocket: their queries come here over fetch.
    const sqlOverHttp = await startSqlOverHttpServer({ databaseUrl: pg.url, wsProxy: proxy.address, maxConnections: 20 });
    stops.push(() => sqlOverHttp.stop());
    const s3Dir = fs.mkdtempSync(path.join(os.tmpdir(), "faceloop-bench-s3-"));
    const s3 = await startLocalS3Server({
      directory: s3Dir,
      port: 0,
      bucket: "faceloop-bench",
      ...TEST_S3_CREDENTIALS,
    });
    stops.push(async () => {
      await s3.stop();
      fs.rmSync(s3Dir, { recursive: true, force: true });
    });
    const database = await createDatabase(
      { driver: "neon", url: pg.url, wsProxy: proxy.address },
      { maxConnections: 4 },
    );
    stops.push(() => database.close());
    await migrateDatabase(database);
    const db = database.db;
    const store = createObjectStore({ ...TEST_S3_CREDENTIALS, endpoint: s3.endpoint, bucket: "faceloop-bench" });
    await store.ensureBucket();

    console.log(
      `labelling benchmark: strategy ${strategy}, ${imageCount} images, levels ${levels.join("/")} x ${durationMs / 1000} s` +
        (thinkMs > 0 ? `, then ${maxLevel} paced (${thinkMs / 1000} s think) x ${pacedDurationMs / 1000} s` : ""),
    );
    console.log(`machine: ${os.cpus().length} cores, load average ${load()} (shared machine: numbers move with it)\n`);

    // ---------------------------------------------------------------- data
    let started = performance.now();
    const [job] = await queryRows<{ id: number }>(
      db,
      sql`insert into import_jobs (source_path, format) values ('label benchmark', 'synthetic') returning id`,
    );
    const random = mulberry32(4);
    for (let offset = 0; offset < imageCount; offset += 4096) {
      const batch: IncomingImage[] = [];
      for (let i = offset; i < Math.min(imageCount, offset + 4096); i++) {
        const label = (i % 7) as EmotionIndex;
        const split = i % 10 === 8 ? "val" : i % 10 === 9 ? "test" : "train";
        batch.push({ source: "bench", sourceRef: String(i), split, label, pixels: syntheticFace(label, random) });
      }
      await writeImageBatch(db, store, batch, job.id);
    }
    const [servingVersion] = await queryRows<{ id: number }>(
      db,
      sql`insert into model_versions (model_name, version, storage_prefix, serving, published_at)
          values ('compact', 'bench', 'models/compact/bench/', true, now()) returning id`,
    );
    // Predictions: a random two-class split per image, so entropy and disagreement vary.
    await db.execute(sql`
      insert into predictions (model_version_id, image_id, probs, predicted_label, entropy, margin)
      select ${servingVersion.id}, id, probs, case when r >= 0.5 then a else b end,
             -(r * ln(greatest(r, 1e-6)) + (1 - r) * ln(greatest(1 - r, 1e-6))), abs(2 * r - 1)
      from (
        select id, r, a, b, (select array_agg(case when c = a then r when c = b then 1 - r else 0 end order by c)
                             from generate_series(0, 6) c)::real[] as probs
        from (select id, random() as r, (id % 7) as a, ((id + 1 + (id / 7) % 6) % 7) as b from images) t
      ) p`);
    const users = Array.from({ length: annotatorCount }, (_, i) => ({
      id: randomUUID(),
      email: `bench-annotator-${i}@example.org`,
      role: "annotator" as const,
    }));
    await db.execute(sql`
      insert into users (id, email, role)
      select * from unnest(${sql.param(users.map((u) => u.id))}::uuid[], ${sql.param(users.map((u) => u.email))}::text[],
                           ${sql.param(users.map(() => "annotator"))}::role[])`);
    await db.execute(sql`analyze`);
    console.log(
      `seeded ${imageCount} synthetic faces, a serving model version with predictions, ${users.length} annotators in ${seconds(started)} s`,
    );

    // ---------------------------------------------------------------- the web server
    const secret = randomBytes(32).toString("hex");
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "faceloop-bench-data-"));
    stops.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const serverEnv: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      NEXT_DIST_DIR: distDir,
      DATA_DIR: dataDir,
      PORT: String(port),
      DATABASE_URL: pg.url,
      DATABASE_WS_PROXY: proxy.address,
      DATABASE_HTTP_ENDPOINT: sqlOverHttp.endpoint,
      S3_ENDPOINT: s3.endpoint,
      S3_BUCKET: "faceloop-bench",
      S3_REGION: TEST_S3_CREDENTIALS.region,
      S3_ACCESS_KEY_ID: TEST_S3_CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: TEST_S3_CREDENTIALS.secretAccessKey,
      NEXTAUTH_SECRET: secret,
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      LABEL_OVERLAP: String(OVERLAP),
    };
    const next = path.resolve("node_modules/.bin/next");
    if (!fs.existsSync(path.join(distDir, "BUILD_ID"))) {
      started = performance.now();
      console.log(`no build in ${distDir}: building the app (next build, about a minute) ...`);
      const build = spawnSync(next, ["build"], { stdio: ["ignore", "ignore", "inherit"], env: serverEnv });
      if (build.status !== 0) throw new Error(`next build failed (exit ${build.status})`);
      console.log(`built in ${seconds(started)} s`);
    }
    // BENCH_SERVER_NODE_ARGS: node flags for the server only, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
    const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);
    const nextCli = path.resolve("node_modules/next/dist/bin/next");
    const server: ChildProcess = spawn(
      process.execPath,
      [...nodeArgs, nextCli, "start", "-p", String(port), "-H", "127.0.0.1"],
      {
        env: serverEnv,
        stdio: ["ignore", "ignore", "pipe"],
        detached: true,
      },
    );
    server.stderr?.on("data", (chunk: Buffer) => process.stderr.write(`[next] ${chunk}`));
    stops.push(() => stopProcessGroup(server));
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForServer(`${baseUrl}/api/label/next`, server);

    const annotators = await Promise.all(
      users.map(async (user) => ({
        id: user.id,
        cookie: `next-auth.session-token=${await mintSessionToken(user, secret)}`,
      })),
    );

    // Warm-up: the first requests load each route's code and open database connections.
    await runLoad({
      baseUrl,
      annotators: annotators.slice(0, 4),
      durationMs: 2000,
      thinkMs: 0,
      strategy,
      warmup: true,
    });
    await db.execute(sql`delete from annotations where annotator_id is not null`);
    await db.execute(sql`delete from label_leases`);

    // ---------------------------------------------------------------- load
    const postmaster = findPostmaster(pg.port);
    const cpu = () => ({
      next: server.pid ? processTreeCpuMs(server.pid) : 0,
      postgres: postmaster ? processTreeCpuMs(postmaster) : 0,
      bench: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
    });
    const cpuLines: string[] = [];
    console.log(
      `\n${"annotators".padEnd(11)}${"pace".padEnd(12)}${"labels/s".padStart(9)}${"req/s".padStart(8)}${"errors".padStart(8)}` +
        `   ${"GET next p50/p95/p99 ms".padEnd(24)}${"POST label p50/p95/p99".padEnd(24)}${"all requests p50/p95/p99".padEnd(26)}load avg`,
    );
    const acked: Ack[] = [];
    let userOffset = 0;
    const phases: Array<{ level: number; think: number }> = levels.map((level) => ({ level, think: 0 }));
    if (thinkMs > 0) phases.push({ level: maxLevel, think: thinkMs });
    const verdicts: string[] = [];
    for (const phase of phases) {
      const group = annotators.slice(userOffset, userOffset + phase.level);
      userOffset += phase.level;
      const before = cpu();
      const result = await runLoad({
        baseUrl,
        annotators: group,
        durationMs: phase.think > 0 ? pacedDurationMs : durationMs,
        thinkMs: phase.think,
        strategy,
        warmup: false,
      });
      const after = cpu();
      const perLabel = (key: keyof typeof before) =>
        ((after[key] - before[key]) / Math.max(1, result.acks.length)).toFixed(2);
      cpuLines.push(
        `${String(phase.level).padEnd(11)}${(phase.think ? `think ${phase.think / 1000}s` : "no pause").padEnd(12)}` +
          `next server ${perLabel("next")} ms, postgres ${perLabel("postgres")} ms, this process (db proxy, S3, load) ${perLabel("bench")} ms`,
      );
      acked.push(...result.acks);
      const all = [...result.next, ...result.save];
      const line =
        String(phase.level).padEnd(11) +
        (phase.think ? `think ${phase.think / 1000}s` : "no pause").padEnd(12) +
        (result.acks.length / (result.elapsedMs / 1000)).toFixed(0).padStart(9) +
        (all.length / (result.elapsedMs / 1000)).toFixed(0).padStart(8) +
        String(result.errorCount).padStart(8) +
        `   ${percentiles(result.next).padEnd(24)}${percentiles(result.save).padEnd(24)}${percentiles(all).padEnd(26)}${load()}`;
      console.log(line);
      const p99 = quantile(all, 0.99);
      if (phase.think === 0 && phase.level === maxLevel) {
        // A closed loop: N annotators keep N requests in flight, so by Little's law latency = N / throughput.
        const requestsPerSecond = all.length / (result.elapsedMs / 1000);
        verdicts.push(
          `${phase.level} back to back: mean latency ${((1000 * phase.level) / requestsPerSecond).toFixed(1)} ms = ` +
            `${phase.level} in flight / ${requestsPerSecond.toFixed(0)} req/s (Little's law); a p99 of ${P99_TARGET_MS} ms ` +
            `would need more than ${((1000 * phase.level) / P99_TARGET_MS).toFixed(0)} req/s`,
        );
      } else if (phase.think > 0) {
        verdicts.push(
          `${phase.level} at a human pace (${phase.think / 1000} s think): p99 ${p99.toFixed(1)} ms, target <= ` +
            `${P99_TARGET_MS} ms: ${p99 <= P99_TARGET_MS ? "met" : "NOT met"}`,
        );
      }
      if (result.errorCount > 0) console.log(`   errors: ${JSON.stringify(result.errors)}`);
    }

    console.log(`\n${verdicts.join("\n")}`);
    console.log(`\nCPU time per label (GET next + POST label), by process:`);
    for (const line of cpuLines) console.log(line);

    // ---------------------------------------------------------------- what the database holds
    const stored = await queryRows<{ client_request_id: string; id: number; annotator_id: string; image_id: number }>(
      db,
      sql`select client_request_id, id::int, annotator_id, image_id from annotations where annotator_id is not null`,
    );
    const [counts] = await queryRows<{
      doubled: number;
      over_overlap: number;
      count_mismatch: number;
      leased_to_two: number;
    }>(
      db,
      sql`select
        (select count(*)::int from (select 1 from annotations where annotator_id is not null
                                    group by annotator_id, image_id having count(*) > 1) d) as doubled,
        (select count(*)::int from images where people_label_count > ${OVERLAP}) as over_overlap,
        (select count(*)::int from images i where i.people_label_count <> (select count(*) from annotations a
                                    where a.image_id = i.id and a.annotator_id is not null)) as count_mismatch,
        (select count(*)::int from (select image_id from label_leases group by image_id having count(*) > 1) l) as leased_to_two`,
    );
    const storedById = new Map(stored.map((row) => [row.client_request_id, row]));
    const missing = acked.filter((ack) => !storedById.has(ack.clientRequestId));
    const wrong = acked.filter((ack) => {
      const row = storedById.get(ack.clientRequestId);
      return (
        row && (row.id !== ack.annotationId || row.image_id !== ack.imageId || row.annotator_id !== ack.annotatorId)
      );
    });
    const ackedIds = new Set(acked.map((ack) => ack.clientRequestId));
    const unacknowledged = stored.filter((row) => !ackedIds.has(row.client_request_id));
    console.log(
      `\ndatabase check: ${acked.length} labels acknowledged, ${stored.length} stored; ` +
        `${missing.length} lost, ${unacknowledged.length} stored but never acknowledged, ${wrong.length} with another id/image, ` +
        `${counts.doubled} doubled (annotator, image), ${counts.over_overlap} images over LABEL_OVERLAP=${OVERLAP}, ` +
        `${counts.count_mismatch} people_label_count mismatches`,
    );
    const ok =
      missing.length === 0 &&
      unacknowledged.length === 0 &&
      wrong.length === 0 &&
      counts.doubled === 0 &&
      counts.over_overlap === 0 &&
      counts.count_mismatch === 0;
    console.log(ok ? "database check: OK" : "database check: FAILED");

    if (args.explain) await explainClaims(db, servingVersion.id);
    await stopAll();
    process.exit(ok ? 0 : 1);
  } catch (error) {
    console.error(error);
    await stopAll();
    process.exit(1);
  }
}

await main();
