import { S3Client } from "@aws-sdk/client-s3";

export interface S3ClientConfig {
  /** Unset: AWS S3 itself. Set: any S3-compatible server (Cloudflare R2, MinIO, the local s3rver). */
  endpoint?: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Defaults to true for a custom endpoint: `bucket.host` names rarely resolve there (e.g. bucket.127.0.0.1). */
  forcePathStyle?: boolean;
}

/** True when the endpoint is not AWS S3, so AWS-only protocol features must be switched off. */
export function isCustomEndpoint(endpoint: string | undefined): boolean {
  if (!endpoint) return false;
  return !new URL(endpoint).hostname.endsWith(".amazonaws.com");
}

/**
 * One S3 client for every backend, chosen by config alone.
 *
 * For a custom endpoint the SDK's default checksums are turned down to WHEN_REQUIRED: by default it uploads with
 * aws-chunked framing and trailing CRC checksums, which servers such as s3rver store verbatim inside the object
 * (a corrupt upload that reports success), and it validates response checksums that other servers may not send.
 */
export function createS3Client(config: S3ClientConfig): S3Client {
  const custom = isCustomEndpoint(config.endpoint);
  return new S3Client({
    region: config.region,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    forcePathStyle: config.forcePathStyle ?? custom,
    ...(custom ? { requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED" } : {}),
  });
}
