import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createDatabase, type DatabaseHandle } from "../../lib/db/client";
import { type EmbeddedDatabaseServer, serveEmbeddedDatabase } from "../../lib/db/embedded-server";
import { queryRows } from "../../lib/db/query-rows";
import { mulberry32, type Random } from "../../lib/random";
import { type LocalS3Server, startLocalS3Server } from "../../lib/storage/local-s3-server";
import { createObjectStore, type ObjectStore } from "../../lib/storage/object-store";
import { createS3Client } from "../../lib/storage/s3-client";
import { errorCode, passwordMessage, rawConnect, startupMessage, typedMessage } from "../support/raw-postgres-client";

/**
 * The embedded services (PGlite wire server, its WebSocket proxy, the local S3 server) probed the way an attacker
 * or a broken client would: they must refuse what lacks the data folder's credential, close a connection that
 * breaks the protocol, and go on serving everyone else.
 */
const PASSWORD = "hardening-test-password";
const S3_KEYS = { region: "us-east-1", accessKeyId: "hardening-key", secretAccessKey: "hardening-secret-0123456789" };
const BUCKET = "hardening";

let database: EmbeddedDatabaseServer;
let pool: DatabaseHandle;
let s3: LocalS3Server;
let store: ObjectStore;
const s3Dir = fs.mkdtempSync(path.join(os.tmpdir(), "faceloop-hardening-s3-"));

beforeAll(async () => {
  database = await serveEmbeddedDatabase({ password: PASSWORD, idleInTransactionMs: 1_000 });
  pool = await createDatabase(
    { driver: "neon", url: database.databaseUrl, wsProxy: database.wsProxy },
    { maxConnections: 4 },
  );
  s3 = await startLocalS3Server({ directory: s3Dir, port: 0, bucket: BUCKET, ...S3_KEYS });
  store = createObjectStore({ ...S3_KEYS, endpoint: s3.endpoint, bucket: BUCKET });
});
afterAll(async () => {
  await pool?.close();
  await database?.stop();
  await s3?.stop();
  fs.rmSync(s3Dir, { recursive: true, force: true });
});

const wsPort = () => Number(database.wsProxy.split(":")[1]);

async function stillServing(): Promise<void> {
  const rows = await queryRows<{ n: number }>(pool.db, sql`select 41 + 1 as n`);
  expect(rows[0].n).toBe(42);
  await store.put("alive", "yes");
  expect(Buffer.from(await store.get("alive")).toString()).toBe("yes");
}

function rawHttp(port: number, request: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.write(request));
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk.toString("latin1")));
    socket.on("error", () => resolve(answer));
    socket.on("close", () => resolve(answer));
    setTimeout(() => socket.destroy(), 2_000);
  });
}

describe("local S3 server", () => {
  it("answers a malformed percent-escape with 400 and keeps serving", async () => {
    for (const target of [`/${BUCKET}/x?%E0`, `/${BUCKET}/x?X-Amz-Signature=%E0%A4%A`, `/${BUCKET}/%E0?a=%`]) {
      const answer = await rawHttp(s3.port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
      expect(answer).toMatch(/^HTTP\/1\.1 (400|403) /);
    }
    await stillServing();
  });

  it("refuses anonymous requests and requests signed with another key", async () => {
    await store.put("private/weights.bin", "secret weights");
    const anonymous = await fetch(`${s3.endpoint}/${BUCKET}/private/weights.bin`);
    expect(anonymous.status).toBe(403);
    expect(await anonymous.text()).toContain("AccessDenied");
    const list = await fetch(`${s3.endpoint}/${BUCKET}?list-type=2`);
    expect(list.status).toBe(403);
    const remove = await fetch(`${s3.endpoint}/${BUCKET}/private/weights.bin`, { method: "DELETE" });
    expect(remove.status).toBe(403);
    const put = await fetch(`${s3.endpoint}/${BUCKET}/private/weights.bin`, { method: "PUT", body: "overwritten" });
    expect(put.status).toBe(403);

    const wrong = createS3Client({ ...S3_KEYS, secretAccessKey: "not-the-secret", endpoint: s3.endpoint });
    await expect(wrong.send(new ListObjectsV2Command({ Bucket: BUCKET }))).rejects.toMatchObject({
      name: "SignatureDoesNotMatch",
    });
    const unknown = createS3Client({ ...S3_KEYS, accessKeyId: "someone-else", endpoint: s3.endpoint });
    await expect(unknown.send(new ListObjectsV2Command({ Bucket: BUCKET }))).rejects.toMatchObject({
      name: "InvalidAccessKeyId",
    });
    wrong.destroy();
    unknown.destroy();
    expect(Buffer.from(await store.get("private/weights.bin")).toString()).toBe("secret weights");
  });
});

describe("PGlite wire server", () => {
  it("refuses a wrong password and serves nothing before the right one", async () => {
    const wrong = await rawConnect(database.wirePort);
    wrong.socket.write(startupMessage("postgres"));
    const challenge = await wrong.waitFor((d) => d.length >= 13);
    expect(challenge.readInt32BE(5)).toBe(5); // AuthenticationMD5Password
    wrong.socket.write(passwordMessage("guess", "postgres", challenge));
    expect(await wrong.closed()).toBe(true);
    expect(errorCode(wrong.received().subarray(13))).toBe("28P01");

    const skipping = await rawConnect(database.wirePort);
    skipping.socket.write(startupMessage("postgres"));
    await skipping.waitFor((d) => d.length >= 13);
    skipping.socket.write(typedMessage("Q", "select usename, passwd from pg_shadow\0"));
    expect(await skipping.closed()).toBe(true);
    expect(skipping.received().toString("latin1")).not.toContain("pg_shadow");
    expect(errorCode(skipping.received().subarray(13))).toBe("08P01");

    const right = await rawConnect(database.wirePort);
    right.socket.write(startupMessage("postgres"));
    const salt = await right.waitFor((d) => d.length >= 13);
    right.socket.write(passwordMessage(PASSWORD, "postgres", salt));
    const ready = await right.waitFor((d) => d.includes(Buffer.from([0x5a, 0, 0, 0, 5, 0x49]))); // ReadyForQuery(I)
    expect(ready.readInt32BE(13 + 5)).toBe(0); // AuthenticationOk after the challenge
    right.socket.end();
  });

  it.each([
    ["a startup length of 0", Buffer.from([0, 0, 0, 0, 0, 3, 0, 0])],
    ["a startup length of -1", Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 3, 0, 0])],
    ["a startup length of 2 GB", Buffer.from([0x7f, 0xff, 0xff, 0xff, 0, 3, 0, 0])],
  ])("closes a connection that sends %s and keeps serving", async (_name, bytes) => {
    const bad = await rawConnect(database.wirePort);
    bad.socket.write(bytes);
    expect(await bad.closed()).toBe(true);
    expect(errorCode(bad.received())).toBe("08P01");
    await stillServing();
  });

  it("closes a connection whose later message has length -1 or 0 and keeps serving", async () => {
    for (const length of [-1, 0, 3]) {
      const bad = await rawConnect(database.wirePort);
      bad.socket.write(startupMessage("postgres"));
      const salt = await bad.waitFor((d) => d.length >= 13);
      bad.socket.write(passwordMessage(PASSWORD, "postgres", salt));
      await bad.waitFor((d) => d.includes(Buffer.from([0x5a, 0, 0, 0, 5, 0x49])));
      const message = Buffer.from([0x51, 0, 0, 0, 0]);
      message.writeInt32BE(length, 1);
      bad.socket.write(message);
      expect(await bad.closed()).toBe(true);
      await stillServing();
    }
  });

  it("closes a connection idle inside a transaction so the others go on", async () => {
    const idle = await createDatabase(
      { driver: "neon", url: database.databaseUrl, wsProxy: database.wsProxy },
      { maxConnections: 1 },
    );
    try {
      let wakeUp!: () => void;
      const quiet = new Promise<void>((resolve) => (wakeUp = resolve));
      const stalled = idle.db.transaction(async (tx) => {
        await tx.execute(sql`select 1`);
        await quiet; // a client that opened BEGIN and went quiet
        await tx.execute(sql`select 2`);
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      // Without the idle-in-transaction limit this waits for the quiet client forever (the test times out).
      await stillServing();
      wakeUp();
      await expect(stalled).rejects.toThrow(); // its connection was closed and its transaction rolled back
    } finally {
      await idle.close();
    }
  });
});

describe("WebSocket proxy", () => {
  it("refuses a browser (any Origin header)", async () => {
    const status = await new Promise<number>((resolve) => {
      const socket = new WebSocket(`ws://${database.wsProxy}/v2`, { headers: { Origin: "http://evil.example" } });
      socket.on("unexpected-response", (_req, res: http.IncomingMessage) => resolve(res.statusCode ?? 0));
      socket.on("open", () => resolve(101));
      socket.on("error", () => {});
    });
    expect(status).toBe(401);
  });

  it("reaches the database only with the password", async () => {
    const url = new URL(database.databaseUrl);
    url.password = "wrong";
    const wrong = await createDatabase(
      { driver: "neon", url: url.toString(), wsProxy: database.wsProxy },
      { maxConnections: 1 },
    );
    try {
      const error = await wrong.db.execute(sql`select 1`).catch((e: Error) => e);
      expect(String((error as Error).cause ?? error)).toMatch(/password authentication failed/);
    } finally {
      await wrong.close();
    }
  });
});

/** Random bytes and mangled valid messages at all three ports for a fixed time, then the services must still work. */
describe("seeded fuzz", () => {
  const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
  const DURATION_MS = Number(process.env.FUZZ_MS ?? 4_000);

  function bytes(random: Random, max: number): Buffer {
    const out = Buffer.alloc(Math.floor(random() * max));
    for (let i = 0; i < out.length; i++) out[i] = Math.floor(random() * 256);
    return out;
  }

  /** Valid-looking messages with one field broken: the lengths and types parsers trip over. */
  function mangledPostgres(random: Random): Buffer {
    const start = startupMessage("postgres");
    const pick = Math.floor(random() * 5);
    if (pick === 0) return bytes(random, 64);
    if (pick === 1) {
      start.writeInt32BE([0, -1, 4, 7, 9, 0x7fffffff, -0x80000000][Math.floor(random() * 7)], 0);
      return start;
    }
    if (pick === 2) {
      start.writeInt32BE(Math.floor(random() * 0x7fffffff), 4);
      return start;
    }
    const tail = typedMessage(String.fromCharCode(Math.floor(random() * 128)), bytes(random, 32));
    if (random() < 0.5) tail.writeInt32BE(Math.floor(random() * 2 ** 32) - 2 ** 31, 1);
    return Buffer.concat([start, tail]);
  }

  function mangledHttp(random: Random): string {
    const escapes = ["%E0", "%", "%zz", "%C0%AF", "%00", "%ff%fe", "..", "%2e%2e/"];
    const piece = () => escapes[Math.floor(random() * escapes.length)] + bytes(random, 6).toString("hex");
    const method = ["GET", "PUT", "DELETE", "POST", "HEAD", "OPTIONS", "BREW"][Math.floor(random() * 7)];
    const target = `/${random() < 0.7 ? BUCKET : piece()}/${piece()}?${piece()}=${piece()}&X-Amz-Algorithm=${piece()}`;
    const headers = random() < 0.5 ? `Authorization: AWS4-HMAC-SHA256 Credential=${piece()}\r\n` : "";
    return `${method} ${target} HTTP/1.1\r\nHost: x\r\n${headers}Content-Length: ${Math.floor(random() * 4)}\r\n\r\nab`;
  }

  async function send(port: number, payload: Buffer | string): Promise<void> {
    await new Promise<void>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => socket.end(payload));
      socket.on("error", () => resolve());
      socket.on("close", () => resolve());
      socket.resume();
      setTimeout(() => {
        socket.destroy();
        resolve();
      }, 300);
    });
  }

  async function sendWebSocket(random: Random): Promise<void> {
    await new Promise<void>((resolve) => {
      const socket = new WebSocket(`ws://${database.wsProxy}/v2`);
      socket.on("open", () => socket.send(mangledPostgres(random)));
      socket.on("error", () => resolve());
      socket.on("close", () => resolve());
      setTimeout(() => {
        socket.terminate();
        resolve();
      }, 300);
    });
  }

  it(`never stops the services (seed ${SEED})`, async () => {
    const random = mulberry32(SEED);
    const deadline = Date.now() + DURATION_MS;
    let attempts = 0;
    while (Date.now() < deadline) {
      const round = Array.from({ length: 8 }, () => {
        attempts++;
        const target = Math.floor(random() * 5);
        if (target === 0) return send(database.wirePort, mangledPostgres(random));
        if (target === 1) return sendWebSocket(random);
        if (target === 2) return send(wsPort(), bytes(random, 200));
        if (target === 3) return send(s3.port, mangledHttp(random));
        return send(s3.port, bytes(random, 200));
      });
      await Promise.all(round);
    }
    expect(attempts).toBeGreaterThan(50);
    await stillServing();
  });
});
