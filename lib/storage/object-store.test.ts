import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalS3Fixture, type LocalS3Fixture } from "./local-s3-fixture";
import { ObjectNotFoundError } from "./object-not-found-error";
import { S3ObjectStore } from "./object-store";

// Integration tests: a real s3rver over HTTP with the production client settings.
let s3: LocalS3Fixture;
beforeAll(async () => {
  s3 = await startLocalS3Fixture();
  await s3.store.ensureBucket();
});
afterAll(() => s3?.stop());

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

async function putMany(keys: string[], concurrency = 16): Promise<void> {
  const queue = [...keys];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let key = queue.shift(); key !== undefined; key = queue.shift()) await s3.store.put(key, key);
    }),
  );
}

describe("put and get", () => {
  it("round-trips 5 MB of random bytes exactly", async () => {
    const body = randomBytes(5 * 1024 * 1024);
    await s3.store.put("rt/random.bin", body, { contentType: "application/octet-stream" });
    expect(sha256(await s3.store.get("rt/random.bin"))).toBe(sha256(body));
  });

  it("stores strings as UTF-8 and streams in both directions", async () => {
    await s3.store.put("rt/text.txt", "héllo ☺", { contentType: "text/plain; charset=utf-8" });
    expect(new TextDecoder().decode(await s3.store.get("rt/text.txt"))).toBe("héllo ☺");

    const parts = [randomBytes(70_000), randomBytes(1234)];
    const whole = Buffer.concat(parts);
    await s3.store.put("rt/unknown-length", Readable.from(parts));
    await s3.store.put("rt/known-length", Readable.from(parts), { contentLength: whole.length });
    for (const key of ["rt/unknown-length", "rt/known-length"]) {
      const chunks: Buffer[] = [];
      for await (const chunk of await s3.store.getStream(key)) chunks.push(chunk as Buffer);
      expect(sha256(Buffer.concat(chunks))).toBe(sha256(whole));
    }
  });

  it("head reports size, etag and content type, or null", async () => {
    await s3.store.put("rt/head.png", new Uint8Array(2304), { contentType: "image/png", cacheControl: "max-age=60" });
    const info = await s3.store.head("rt/head.png");
    expect(info).toEqual({ size: 2304, etag: expect.stringMatching(/^"[0-9a-f]{32}"$/), contentType: "image/png" });
    expect(await s3.store.head("rt/missing")).toBeNull();
  });

  it("throws ObjectNotFoundError for a missing key", async () => {
    await expect(s3.store.get("rt/missing")).rejects.toThrow(ObjectNotFoundError);
    await expect(s3.store.getStream("rt/missing")).rejects.toMatchObject({ key: "rt/missing" });
    await expect(s3.store.getRange("rt/missing", 0, 9)).rejects.toBeInstanceOf(ObjectNotFoundError);
  });
});

describe("getRange", () => {
  const faceBytes = 2304; // one 48x48 face
  const shard = randomBytes(faceBytes * 500);
  beforeAll(() => s3.store.put("range/shard.bin", shard));

  it("reads one face out of a shard", async () => {
    const index = 321;
    const face = await s3.store.getRange("range/shard.bin", index * faceBytes, (index + 1) * faceBytes - 1);
    expect(Buffer.from(face).equals(shard.subarray(index * faceBytes, (index + 1) * faceBytes))).toBe(true);
  });

  it("clamps a range that runs past the end, and rejects one that starts past it", async () => {
    const tail = await s3.store.getRange("range/shard.bin", shard.length - 10, shard.length + 100);
    expect(Buffer.from(tail).equals(shard.subarray(shard.length - 10))).toBe(true);
    await expect(s3.store.getRange("range/shard.bin", shard.length + 1, shard.length + 5)).rejects.toThrow();
  });

  it("refuses malformed ranges before asking the server", async () => {
    await expect(s3.store.getRange("range/shard.bin", 10, 9)).rejects.toThrow(RangeError);
    await expect(s3.store.getRange("range/shard.bin", -1, 9)).rejects.toThrow(RangeError);
  });
});

describe("list, delete and deletePrefix", () => {
  const keys = Array.from({ length: 1100 }, (_, i) => `many/${String(i).padStart(5, "0")}`);
  beforeAll(() => putMany([...keys, "many-other/x", "manz/y"]), 60_000);

  it("lists every key under a prefix across pages, in key order", async () => {
    const listed: { key: string; size: number }[] = [];
    for await (const object of s3.store.list("many/", { pageSize: 300 })) listed.push(object);
    expect(listed.map((o) => o.key)).toEqual(keys);
    expect(listed[0].size).toBe(keys[0].length);
  });

  it("lists with the server's default page size (1,000) too", async () => {
    let count = 0;
    for await (const _ of s3.store.list("many/")) count++;
    expect(count).toBe(1100);
  });

  it("deletes one key (missing keys too) and then a whole prefix", async () => {
    await s3.store.delete("many/00000");
    await s3.store.delete("many/never-existed");
    expect(await s3.store.head("many/00000")).toBeNull();

    expect(await s3.store.deletePrefix("many/")).toBe(1099);
    const left: string[] = [];
    for await (const object of s3.store.list("man")) left.push(object.key);
    expect(left).toEqual(["many-other/x", "manz/y"]);
    await expect(s3.store.deletePrefix("")).rejects.toThrow(/non-empty/);
  });
});

describe("ensureBucket", () => {
  it("creates a missing bucket and is idempotent", async () => {
    const other = new S3ObjectStore(s3.client, "another-bucket");
    await other.ensureBucket();
    await other.ensureBucket();
    await other.put("k", "v");
    expect(await other.head("k")).toMatchObject({ size: 1 });
  });
});
