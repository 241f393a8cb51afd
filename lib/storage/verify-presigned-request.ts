import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

export interface PresignedRequest {
  method: string;
  /** The raw request target, path and query exactly as sent (Node's `req.url`). */
  url: string;
  headers: IncomingHttpHeaders;
}

export type PresignedCheck = { ok: true } | { ok: false; code: "InvalidAccessKeyId" | "SignatureDoesNotMatch" };

/**
 * Checks the SigV4 signature of a presigned (query-string) S3 request, as AWS S3 does. s3rver 3.7.1 never checks
 * V4 signatures, so without this the local server would accept a presigned PUT with another Content-Type or
 * Content-Length than was signed, and a browser bug would first show up in production.
 * Returns null for requests that are not presigned (SDK requests signed in the Authorization header pass through).
 * Expiry is left to s3rver, which does check it.
 */
export function verifyPresignedRequest(
  request: PresignedRequest,
  secretFor: (accessKeyId: string) => string | undefined,
): PresignedCheck | null {
  const queryStart = request.url.indexOf("?");
  if (queryStart === -1) return null;
  const path = request.url.slice(0, queryStart);
  const params = parseQuery(request.url.slice(queryStart + 1));
  const get = (name: string) => params.find(([key]) => key === name)?.[1];

  const signature = get("X-Amz-Signature");
  const credential = get("X-Amz-Credential");
  const amzDate = get("X-Amz-Date");
  const signedHeaders = get("X-Amz-SignedHeaders");
  if (get("X-Amz-Algorithm") !== "AWS4-HMAC-SHA256" || !signature || !credential || !amzDate || !signedHeaders) {
    return null;
  }

  const [accessKeyId, ...scopeParts] = credential.split("/");
  const secret = secretFor(accessKeyId);
  if (secret === undefined) return { ok: false, code: "InvalidAccessKeyId" };
  const [date, region, service] = scopeParts;

  const headerNames = signedHeaders.split(";");
  const canonicalRequest = [
    request.method.toUpperCase(),
    path, // S3 signs the path as sent, without normalising or re-encoding it.
    params
      .filter(([key]) => key !== "X-Amz-Signature")
      .map(([key, value]) => [encodeRfc3986(key), encodeRfc3986(value)])
      .sort(([a, av], [b, bv]) => (a === b ? compare(av, bv) : compare(a, b)))
      .map(([key, value]) => `${key}=${value}`)
      .join("&"),
    ...headerNames.map((name) => `${name}:${headerValue(request.headers[name])}`),
    "",
    signedHeaders,
    get("X-Amz-Content-Sha256") ?? "UNSIGNED-PAYLOAD",
  ].join("\n");

  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scopeParts.join("/"), sha256Hex(canonicalRequest)].join("\n");
  let key: Buffer = hmac(`AWS4${secret}`, date);
  for (const part of [region, service, "aws4_request"]) key = hmac(key, part);
  const expected = Buffer.from(createHmac("sha256", key).update(stringToSign).digest("hex"));
  const provided = Buffer.from(signature);
  const ok = expected.length === provided.length && timingSafeEqual(expected, provided);
  return ok ? { ok: true } : { ok: false, code: "SignatureDoesNotMatch" };
}

function parseQuery(query: string): [string, string][] {
  return query
    .split("&")
    .filter((pair) => pair !== "")
    .map((pair) => {
      const eq = pair.indexOf("=");
      const key = eq === -1 ? pair : pair.slice(0, eq);
      const value = eq === -1 ? "" : pair.slice(eq + 1);
      return [decodeURIComponent(key), decodeURIComponent(value)];
    });
}

function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function headerValue(value: string | string[] | undefined): string {
  const joined = Array.isArray(value) ? value.join(",") : (value ?? "");
  return joined.trim().replace(/\s+/g, " ");
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data).digest();
}

function sha256Hex(data: string): string {
  return createHash("sha256").update(data).digest("hex");
}
