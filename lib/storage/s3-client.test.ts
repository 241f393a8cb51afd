import { describe, expect, it } from "vitest";
import { createS3Client, isCustomEndpoint } from "./s3-client";

const credentials = { region: "us-east-1", accessKeyId: "id", secretAccessKey: "secret" };

describe("createS3Client", () => {
  it("tells AWS endpoints from S3-compatible ones", () => {
    expect(isCustomEndpoint(undefined)).toBe(false);
    expect(isCustomEndpoint("https://s3.eu-west-1.amazonaws.com")).toBe(false);
    expect(isCustomEndpoint("https://abc123.r2.cloudflarestorage.com")).toBe(true);
    expect(isCustomEndpoint("http://127.0.0.1:4569")).toBe(true);
  });

  it("uses path-style addressing and WHEN_REQUIRED checksums for a custom endpoint", async () => {
    const client = createS3Client({ endpoint: "http://127.0.0.1:4569", ...credentials });
    expect(client.config.forcePathStyle).toBe(true);
    expect(await client.config.requestChecksumCalculation()).toBe("WHEN_REQUIRED");
    expect(await client.config.responseChecksumValidation()).toBe("WHEN_REQUIRED");
  });

  it("keeps the SDK defaults for AWS itself, and lets config override path style", async () => {
    const aws = createS3Client(credentials);
    expect(aws.config.forcePathStyle).toBe(false);
    expect(await aws.config.requestChecksumCalculation()).toBe("WHEN_SUPPORTED");
    const minio = createS3Client({ endpoint: "https://minio.internal", forcePathStyle: false, ...credentials });
    expect(minio.config.forcePathStyle).toBe(false);
  });
});
