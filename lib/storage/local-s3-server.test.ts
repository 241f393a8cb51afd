import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalS3Fixture, type LocalS3Fixture } from "./local-s3-fixture";

// What the local s3rver does with large bodies, multipart and the SDK's defaults: facts the rest of faceloop relies on.
let s3: LocalS3Fixture;
beforeAll(async () => {
  s3 = await startLocalS3Fixture("local-bucket");
});
afterAll(() => s3?.stop());

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe("local S3 server", () => {
  it("listens on the requested loopback port and has created the bucket", async () => {
    expect(s3.server.endpoint).toBe(`http://127.0.0.1:${s3.server.port}`);
    expect(s3.server.port).toBeGreaterThan(0);
    await s3.store.put("probe", "x"); // would fail with NoSuchBucket otherwise
  });

  it("round-trips a 20 MB object byte-exact in one PUT", async () => {
    const body = randomBytes(20 * 1024 * 1024);
    await s3.store.put("large/20mb.bin", body);
    expect((await s3.store.head("large/20mb.bin"))?.size).toBe(body.length);
    expect(sha256(await s3.store.get("large/20mb.bin"))).toBe(sha256(body));
  });

  it("assembles a multipart upload byte-exact (not needed by faceloop, which uses single PUTs)", async () => {
    const key = "large/multipart.bin";
    const parts = [randomBytes(5 * 1024 * 1024), randomBytes(1000)];
    const { UploadId } = await s3.client.send(new CreateMultipartUploadCommand({ Bucket: s3.store.bucket, Key: key }));
    const etags: string[] = [];
    for (const [i, Body] of parts.entries()) {
      const out = await s3.client.send(
        new UploadPartCommand({ Bucket: s3.store.bucket, Key: key, UploadId, PartNumber: i + 1, Body }),
      );
      etags.push(out.ETag!);
    }
    await s3.client.send(
      new CompleteMultipartUploadCommand({
        Bucket: s3.store.bucket,
        Key: key,
        UploadId,
        MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
      }),
    );
    expect(sha256(await s3.store.get(key))).toBe(sha256(Buffer.concat(parts)));
  });

  // Why createS3Client turns the SDK's default checksums off for custom endpoints.
  it("stores aws-chunked framing inside a streamed object under the SDK's default checksums", async () => {
    const { region, accessKeyId, secretAccessKey } = s3.credentials;
    const defaults = new S3Client({
      endpoint: s3.server.endpoint,
      region,
      credentials: { accessKeyId, secretAccessKey },
      forcePathStyle: true,
    });
    try {
      // Streamed bodies go out aws-chunked (length prefix + trailing CRC); buffers carry the CRC in a header instead.
      const body = randomBytes(1000);
      const put = { Bucket: s3.store.bucket, Key: "corrupt", Body: Readable.from([body]), ContentLength: body.length };
      await defaults.send(new PutObjectCommand(put));
      const out = await defaults.send(new GetObjectCommand({ Bucket: s3.store.bucket, Key: "corrupt" }));
      const stored = await out.Body!.transformToByteArray();
      expect(stored.length).toBeGreaterThan(body.length);
      expect(new TextDecoder().decode(stored.subarray(0, 5))).toBe("3e8\r\n"); // 1000 in hex: a chunk header
    } finally {
      defaults.destroy();
    }
  });

  it("serves sequential face-sized Range GETs at a usable rate", async () => {
    const shard = randomBytes(2304 * 1000);
    await s3.store.put("range/shard", shard);
    for (let i = 0; i < 20; i++) {
      const face = await s3.store.getRange("range/shard", i * 2304 * 37, i * 2304 * 37 + 2303);
      expect(Buffer.from(face).equals(shard.subarray(i * 2304 * 37, i * 2304 * 37 + 2304))).toBe(true);
    }
  });
});
