import { mkdir } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import S3rver from "s3rver";
import s3rverAccounts from "s3rver/lib/models/account.js";
import { verifyPresignedRequest } from "./verify-presigned-request";

export interface LocalS3ServerOptions {
  directory: string;
  /** 0 picks any free port. */
  port: number;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Browser origins allowed to use presigned URLs. Default: any http://localhost or http://127.0.0.1 port. */
  corsOrigins?: string[];
}

export interface LocalS3Server {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

const DEFAULT_CORS_ORIGINS = ["http://localhost", "http://localhost:*", "http://127.0.0.1", "http://127.0.0.1:*"];

function corsConfigXml(origins: string[]): string {
  const tag = (name: string, values: string[]) => values.map((v) => `<${name}>${v}</${name}>`).join("");
  return (
    "<CORSConfiguration><CORSRule>" +
    tag("AllowedOrigin", origins) +
    tag("AllowedMethod", ["GET", "PUT", "POST", "HEAD", "DELETE"]) +
    tag("AllowedHeader", ["*"]) +
    tag("ExposeHeader", ["ETag", "Content-Length", "Content-Range", "Accept-Ranges"]) +
    "<MaxAgeSeconds>3600</MaxAgeSeconds></CORSRule></CORSConfiguration>"
  );
}

/**
 * An S3-compatible server on 127.0.0.1 backed by a folder (s3rver), for the zero-setup start, tests and benchmarks.
 * s3rver checks no SigV4 signatures; presigned URLs are checked here first (verifyPresignedRequest) so that a wrong
 * Content-Type or Content-Length is refused as S3 would. Clients must use createS3Client's checksum settings.
 */
export async function startLocalS3Server(options: LocalS3ServerOptions): Promise<LocalS3Server> {
  await mkdir(options.directory, { recursive: true });
  const corsOrigins = options.corsOrigins ?? DEFAULT_CORS_ORIGINS;
  // s3rver only knows its built-in S3RVER key and rejects others as InvalidAccessKeyId; the registry is global.
  s3rverAccounts.DUMMY_ACCOUNT.createKeyPair(options.accessKeyId, options.secretAccessKey);

  const s3rver = new S3rver({
    directory: options.directory,
    silent: true,
    vhostBuckets: false,
    configureBuckets: [{ name: options.bucket, configs: [corsConfigXml(corsOrigins)] }],
  });
  await s3rver.configureBuckets();

  const handleS3 = s3rver.callback();
  const secretFor = (id: string) => (id === options.accessKeyId ? options.secretAccessKey : undefined);
  const server = http.createServer((req, res) => {
    const request = { method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers };
    const check = req.method === "OPTIONS" ? null : verifyPresignedRequest(request, secretFor);
    if (!check || check.ok) return handleS3(req, res);
    // Answer only once the body is drained, so the client sees the 403 rather than a reset mid-upload.
    req.resume();
    req.on("end", () => refuse(res, check.code, req.headers.origin, corsOrigins));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => {
          s3rver.logger.close();
          if (err) reject(err);
          else resolve();
        });
        // Keep-alive sockets from SDK clients would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}

/** The same single-wildcard match s3rver applies to AllowedOrigin. */
function originAllowed(origin: string, patterns: string[]): boolean {
  return patterns.some((pattern) => {
    const [head, tail] = pattern.split("*");
    return tail === undefined
      ? origin === pattern
      : origin.startsWith(head) && origin.endsWith(tail) && origin.length >= head.length + tail.length;
  });
}

/** An S3-style 403, with CORS headers so that a page sees the reason rather than a CORS failure. */
function refuse(res: http.ServerResponse, code: string, origin: string | undefined, corsOrigins: string[]): void {
  res.writeHead(403, {
    "content-type": "application/xml",
    ...(origin && originAllowed(origin, corsOrigins) ? { "access-control-allow-origin": origin } : {}),
  });
  const message = "The presigned URL's signature does not match this request (method, key, Content-Type or Length).";
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`);
}
