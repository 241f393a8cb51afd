import { mkdir } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import S3rver from "s3rver";
import s3rverAccounts from "s3rver/lib/models/account.js";
import type { SignatureCheck } from "./verify-presigned-request";
import { verifyRequestSignature } from "./verify-request-signature";

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
 * s3rver checks no SigV4 signatures and lets anonymous requests in; every request but a CORS preflight is checked
 * here first (verifyRequestSignature), so only holders of the key get in and a presigned URL's Content-Type or
 * Content-Length is enforced as S3 would. A request the server cannot even parse gets a 400, never a crash.
 * Clients must use createS3Client's checksum settings.
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
    try {
      const request = { method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers };
      const check = req.method === "OPTIONS" ? null : verifyRequestSignature(request, secretFor);
      if (!check || check.ok) return void handleS3(req, res);
      // Answer only once the body is drained, so the client sees the 403 rather than a reset mid-upload.
      req.resume();
      req.on("end", () => refuse(res, check.code, req.headers.origin, corsOrigins));
    } catch (error) {
      console.error("local S3 server: request failed:", error);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/xml" });
      res.end();
    }
  });
  // Unparseable HTTP: answer 400 and drop that connection only.
  server.on("clientError", (_error, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    else socket.destroy();
  });
  // Slow or silent clients must not hold sockets forever.
  server.headersTimeout = 30_000;
  server.requestTimeout = 300_000;
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
const REFUSALS: Record<Exclude<SignatureCheck, { ok: true }>["code"], { status: number; message: string }> = {
  AccessDenied: { status: 403, message: "Access Denied: requests must be signed with this server's key." },
  InvalidAccessKeyId: { status: 403, message: "The access key id is not known to this server." },
  SignatureDoesNotMatch: {
    status: 403,
    message: "The request's signature does not match it (method, key, Content-Type or Length, or the secret).",
  },
  RequestTimeTooSkewed: {
    status: 403,
    message: "The request's X-Amz-Date is missing or too far from this server's clock.",
  },
  InvalidArgument: { status: 400, message: "The query string has a malformed percent-escape." },
};

function refuse(
  res: http.ServerResponse,
  code: Exclude<SignatureCheck, { ok: true }>["code"],
  origin: string | undefined,
  corsOrigins: string[],
): void {
  const { status, message } = REFUSALS[code];
  res.writeHead(status, {
    "content-type": "application/xml",
    ...(origin && originAllowed(origin, corsOrigins) ? { "access-control-allow-origin": origin } : {}),
  });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`);
}
