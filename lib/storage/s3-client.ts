import { S3Client } from "@aws-sdk/client-s3";

export interface S3ClientConfig {
  /** Unset: AWS S3 itself. Set: any S3-compatible server (Cloudflare R2, MinIO, the local s3rver). */
  endpoint?: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Defaults to true for a custom endpoint: `bucket.host` names rarely resolve there (e.g. bucket.127.0.0.1). */
  forcePathStyle?: boolean;
  /**
   * How long a connection may take to open, and how long a request may go without a byte moving, before it fails
   * with a TimeoutError (not the whole transfer: a large shard may take longer). Default 10 s.
   */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

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
 *
 * Every call is bounded: without timeouts a storage server that accepts connections but never answers leaves the
 * caller (a web request, the trainer) waiting for minutes. One retry only, so a down server is reported quickly.
 */
export function createS3Client(config: S3ClientConfig): S3Client {
  const custom = isCustomEndpoint(config.endpoint);
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new S3Client({
    region: config.region,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    forcePathStyle: config.forcePathStyle ?? custom,
    maxAttempts: 2,
    requestHandler: {
      connectionTimeout: Math.min(timeoutMs, 3_000),
      socketTimeout: timeoutMs,
      // The edge runtime's fetch handler knows only a whole-request timeout (in Node it would merely warn).
      ...(isEdgeRuntime() ? { requestTimeout: timeoutMs * 3 } : {}),
    },
    ...(custom ? { requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED" } : {}),
  });
}

function isEdgeRuntime(): boolean {
  return typeof (globalThis as { EdgeRuntime?: unknown }).EdgeRuntime === "string";
}
