import { GetObjectCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalS3Fixture, type LocalS3Fixture } from "./local-s3-fixture";

// Presigned URLs used the way a browser would: plain fetch, no SDK.
let s3: LocalS3Fixture;
beforeAll(async () => {
  s3 = await startLocalS3Fixture();
});
afterAll(() => s3?.stop());

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

describe("presignGet", () => {
  it("serves the object to plain fetch", async () => {
    await s3.store.put("get/face.bin", png, { contentType: "image/png" });
    const response = await fetch(await s3.store.presignGet("get/face.bin", 60));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(png);
  });

  it("supports Range on a presigned URL", async () => {
    const response = await fetch(await s3.store.presignGet("get/face.bin", 60), { headers: { range: "bytes=8-11" } });
    expect(response.status).toBe(206);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(png.subarray(8, 12));
  });

  it("refuses a tampered or expired URL", async () => {
    const url = await s3.store.presignGet("get/face.bin", 60);
    expect((await fetch(url.replace("/get/face.bin?", "/get/other.bin?"))).status).toBe(403);
    const command = new GetObjectCommand({ Bucket: s3.store.bucket, Key: "get/face.bin" });
    const expired = await getSignedUrl(s3.client, command, {
      expiresIn: 5,
      signingDate: new Date(Date.now() - 60_000),
    });
    expect((await fetch(expired)).status).toBe(403);
  });
});

describe("presignPut", () => {
  it("accepts an upload with the signed type and length, readable afterwards", async () => {
    const { url, method, headers } = await s3.store.presignPut("put/ok.png", {
      contentType: "image/png",
      contentLength: png.length,
      maxBytes: 1024,
      expiresSec: 60,
    });
    const response = await fetch(url, { method, headers, body: png });
    expect(response.status).toBe(200);
    expect(await s3.store.head("put/ok.png")).toMatchObject({ size: png.length, contentType: "image/png" });
    expect(await s3.store.get("put/ok.png")).toEqual(png);
  });

  it("signs Content-Type and Content-Length, which S3 enforces", async () => {
    const { url } = await s3.store.presignPut("put/x", { contentType: "image/png", contentLength: 12, expiresSec: 60 });
    expect(new URL(url).searchParams.get("X-Amz-SignedHeaders")).toBe("content-length;content-type;host");
  });

  it("rejects another content type, another length, and a longer body", async () => {
    const { url, method } = await s3.store.presignPut("put/bad", {
      contentType: "image/png",
      contentLength: png.length,
      expiresSec: 60,
    });
    const wrongType = await fetch(url, { method, headers: { "content-type": "text/html" }, body: png });
    expect(wrongType.status).toBe(403);
    expect(await wrongType.text()).toContain("SignatureDoesNotMatch");
    const longer = new Uint8Array(png.length + 1000);
    expect((await fetch(url, { method, headers: { "content-type": "image/png" }, body: longer })).status).toBe(403);
    expect(await s3.store.head("put/bad")).toBeNull();
  });

  it("handles keys with spaces, reserved characters and non-ASCII", async () => {
    const key = "odd keys/a+b (1)!/ü~*'.bin";
    const { url, method, headers } = await s3.store.presignPut(key, {
      contentType: "text/plain",
      contentLength: 2,
      expiresSec: 60,
    });
    expect((await fetch(url, { method, headers, body: "hi" })).status).toBe(200);
    expect(await (await fetch(await s3.store.presignGet(key, 60))).text()).toBe("hi");
  });

  it("refuses to sign an upload over maxBytes", async () => {
    await expect(
      s3.store.presignPut("put/big", { contentType: "image/png", contentLength: 2000, maxBytes: 1999, expiresSec: 60 }),
    ).rejects.toThrow(RangeError);
  });
});

describe("CORS for the app's origin", () => {
  it("answers a localhost preflight for a presigned PUT and refuses other origins", async () => {
    const { url } = await s3.store.presignPut("cors/x.png", {
      contentType: "image/png",
      contentLength: 4,
      expiresSec: 60,
    });
    const preflight = (origin: string) =>
      fetch(url, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "PUT", "access-control-request-headers": "content-type" },
      });
    const allowed = await preflight("http://localhost:3000");
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get("access-control-allow-methods")).toContain("PUT");
    expect(allowed.headers.get("access-control-allow-headers")).toBe("content-type");
    expect((await preflight("https://evil.example")).status).toBe(403);
  });

  it("exposes the Range headers to the page on a GET", async () => {
    await s3.store.put("cors/shard", new Uint8Array(100));
    const response = await fetch(await s3.store.presignGet("cors/shard", 60), {
      headers: { origin: "http://127.0.0.1:3000", range: "bytes=0-9" },
    });
    expect(response.headers.get("access-control-allow-origin")).toBe("http://127.0.0.1:3000");
    expect(response.headers.get("access-control-expose-headers")).toContain("Content-Range");
  });
});
