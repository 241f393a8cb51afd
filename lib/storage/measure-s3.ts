/**
 * How fast the local S3 server takes small PUTs and serves face-sized Range GETs: the numbers behind the shard layout.
 *   npx tsx lib/storage/measure-s3.ts [--count=2000] [--concurrency=16] [--inline]
 * The server runs in a child process (as with the start command) unless --inline puts it in this process.
 */
import { fork, type ChildProcess } from "node:child_process";
import { createHash, randomBytes, randomInt } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startLocalS3Server } from "./local-s3-server";
import { S3ObjectStore } from "./object-store";
import { createS3Client } from "./s3-client";

const FACE_BYTES = 48 * 48;
const BUCKET = "measure";
const CREDENTIALS = { region: "us-east-1", accessKeyId: "measure", secretAccessKey: "measure-secret" };

function option(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? Number(arg.split("=")[1]) : fallback;
}

/** Runs `task(i)` for i in 0..count-1, `concurrency` at a time; returns the rate and latency percentiles (ms). */
async function timed(count: number, concurrency: number, task: (i: number) => Promise<void>) {
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) {
        const t = performance.now();
        await task(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1);
  return { perSecond: count / seconds, seconds, p50: pct(0.5), p95: pct(0.95), p99: pct(0.99) };
}

function report(label: string, r: Awaited<ReturnType<typeof timed>>, extra = "") {
  const rate = r.perSecond.toFixed(0).padStart(6);
  console.log(`${label.padEnd(44)} ${rate}/s   p50 ${r.p50} ms  p95 ${r.p95} ms  p99 ${r.p99} ms ${extra}`);
}

async function startServer(inline: boolean, directory: string): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const options = { directory, port: 0, bucket: BUCKET, ...CREDENTIALS };
  if (inline) return startLocalS3Server(options);
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ["--serve", directory]);
  const endpoint = await new Promise<string>((resolve) => child.once("message", (m) => resolve(String(m))));
  return {
    endpoint,
    stop: () => new Promise<void>((resolve) => child.once("exit", () => resolve()).kill()),
  };
}

async function serve(directory: string) {
  const server = await startLocalS3Server({ directory, port: 0, bucket: BUCKET, ...CREDENTIALS });
  process.send?.(server.endpoint);
  process.on("SIGTERM", () => server.stop().then(() => process.exit(0)));
}

async function measure() {
  const count = option("count", 2000);
  const concurrency = option("concurrency", 16);
  const inline = process.argv.includes("--inline");
  const directory = await mkdtemp(path.join(os.tmpdir(), "faceloop-measure-"));
  const server = await startServer(inline, directory);
  const client = createS3Client({ endpoint: server.endpoint, ...CREDENTIALS });
  const store = new S3ObjectStore(client, BUCKET);
  const where = inline ? "in this process" : "in a child process";
  console.log(`s3rver ${where}, ${count} requests per row, concurrency ${concurrency}`);
  try {
    const small = Array.from({ length: count }, () => randomBytes(randomInt(2048, 4097)));
    await store.put("warmup", small[0]);
    report(
      "PUT 2-4 KB objects",
      await timed(count, concurrency, (i) => store.put(`small/${i}`, small[i]).then(() => {})),
    );
    let wrong = 0;
    const getSmall = async (i: number) => {
      if (!Buffer.from(await store.get(`small/${i}`)).equals(small[i])) wrong++;
    };
    report("GET 2-4 KB objects (whole)", await timed(count, concurrency, getSmall));

    const facesPerShard = 4000;
    const shard = randomBytes(FACE_BYTES * facesPerShard);
    await store.put("shards/0", shard);
    const rangeGet = async (i: number) => {
      const face = (i * 7919) % facesPerShard;
      const bytes = await store.getRange("shards/0", face * FACE_BYTES, (face + 1) * FACE_BYTES - 1);
      if (!Buffer.from(bytes).equals(shard.subarray(face * FACE_BYTES, (face + 1) * FACE_BYTES))) wrong++;
    };
    report(
      `Range GET 2304 B of a ${(shard.length / 1e6).toFixed(1)} MB shard`,
      await timed(count, concurrency, rangeGet),
    );
    report("Range GET 2304 B, concurrency 1", await timed(Math.min(count, 500), 1, rangeGet));

    const url = await store.presignGet("shards/0", 600);
    const presign = await timed(count, 1, () => store.presignGet(`shards/${count}`, 600).then(() => {}));
    report("presignGet (CPU only)", presign);
    const fetchRange = async (i: number) => {
      const face = (i * 7919) % facesPerShard;
      const res = await fetch(url, { headers: { range: `bytes=${face * FACE_BYTES}-${(face + 1) * FACE_BYTES - 1}` } });
      if ((await res.arrayBuffer()).byteLength !== FACE_BYTES) wrong++;
    };
    report("fetch(presigned URL) Range 2304 B", await timed(count, concurrency, fetchRange));

    const reps = 20;
    const whole = await timed(reps, 4, async () => {
      const bytes = await store.get("shards/0");
      if (createHash("sha256").update(bytes).digest("hex") !== createHash("sha256").update(shard).digest("hex"))
        wrong++;
    });
    report("GET whole shard, concurrency 4", whole, `(${((whole.perSecond * shard.length) / 1e6).toFixed(0)} MB/s)`);
    console.log(wrong === 0 ? "all bodies byte-exact" : `${wrong} WRONG BODIES`);
  } finally {
    client.destroy();
    await server.stop();
    await rm(directory, { recursive: true, force: true });
  }
}

if (process.argv[2] === "--serve") await serve(process.argv[3]);
else await measure();
