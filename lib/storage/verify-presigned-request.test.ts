import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { describe, expect, it } from "vitest";
import { createS3Client } from "./s3-client";
import { verifyPresignedRequest } from "./verify-presigned-request";

// Pure unit tests: URLs signed by the real SDK presigner, checked without a server.
const credentials = { region: "eu-west-1", accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret/with+chars" };
const client = createS3Client({ endpoint: "http://127.0.0.1:9000", ...credentials });
const secretFor = (id: string) => (id === credentials.accessKeyId ? credentials.secretAccessKey : undefined);

function asRequest(url: string, method: string, headers: Record<string, string> = {}) {
  const parsed = new URL(url);
  return { method, url: parsed.pathname + parsed.search, headers: { host: parsed.host, ...headers } };
}

describe("verifyPresignedRequest", () => {
  it("accepts what the SDK signed, odd keys included", async () => {
    const key = "faces/shard 0001+(x)!.bin";
    const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: "b", Key: key }), { expiresIn: 60 });
    expect(verifyPresignedRequest(asRequest(url, "GET"), secretFor)).toEqual({ ok: true });
  });

  it("rejects another method, key, signed header value or access key", async () => {
    const put = new PutObjectCommand({ Bucket: "b", Key: "k", ContentType: "image/png", ContentLength: 10 });
    const url = await getSignedUrl(client, put, { expiresIn: 60, signableHeaders: new Set(["content-type"]) });
    const good = { "content-type": "image/png", "content-length": "10" };
    expect(verifyPresignedRequest(asRequest(url, "PUT", good), secretFor)).toEqual({ ok: true });

    const mismatch = { ok: false, code: "SignatureDoesNotMatch" };
    expect(verifyPresignedRequest(asRequest(url, "GET", good), secretFor)).toEqual(mismatch);
    expect(verifyPresignedRequest(asRequest(url.replace("/b/k?", "/b/other?"), "PUT", good), secretFor)).toEqual(
      mismatch,
    );
    expect(verifyPresignedRequest(asRequest(url, "PUT", { ...good, "content-type": "text/html" }), secretFor)).toEqual(
      mismatch,
    );
    expect(verifyPresignedRequest(asRequest(url, "PUT", { ...good, "content-length": "11" }), secretFor)).toEqual(
      mismatch,
    );
    expect(verifyPresignedRequest(asRequest(url, "PUT", good), () => undefined)).toEqual({
      ok: false,
      code: "InvalidAccessKeyId",
    });
  });

  it("ignores requests that are not presigned", () => {
    expect(verifyPresignedRequest({ method: "GET", url: "/b/k", headers: {} }, secretFor)).toBeNull();
    expect(
      verifyPresignedRequest({ method: "GET", url: "/b?list-type=2&prefix=a", headers: {} }, secretFor),
    ).toBeNull();
  });
});
