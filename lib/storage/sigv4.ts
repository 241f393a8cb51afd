import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

/** The pieces of AWS Signature Version 4 that checking a request needs (the local S3 server checks every one). */

/** A query string as [key, value] pairs, decoded; null when an escape is malformed (e.g. `%E0`). */
export function parseQuery(query: string): [string, string][] | null {
  try {
    return query
      .split("&")
      .filter((pair) => pair !== "")
      .map((pair) => {
        const eq = pair.indexOf("=");
        const key = eq === -1 ? pair : pair.slice(0, eq);
        const value = eq === -1 ? "" : pair.slice(eq + 1);
        return [decodeURIComponent(key), decodeURIComponent(value)];
      });
  } catch (error) {
    if (error instanceof URIError) return null;
    throw error;
  }
}

export function canonicalQuery(params: [string, string][]): string {
  return params
    .map(([key, value]) => [encodeRfc3986(key), encodeRfc3986(value)])
    .sort(([a, av], [b, bv]) => (a === b ? compare(av, bv) : compare(a, b)))
    .map(([key, value]) => `${key}=${value}`)
    .join("&");
}

export function canonicalHeaders(headers: IncomingHttpHeaders, names: string[]): string[] {
  return names.map((name) => `${name}:${headerValue(headers[name])}`);
}

/** Whether `signature` is the HMAC of this canonical request under the secret and credential scope. */
export function signatureMatches(options: {
  canonicalRequest: string;
  amzDate: string;
  /** date/region/service/aws4_request */
  scope: string;
  secret: string;
  signature: string;
}): boolean {
  const [date, region, service] = options.scope.split("/");
  const stringToSign = ["AWS4-HMAC-SHA256", options.amzDate, options.scope, sha256Hex(options.canonicalRequest)].join(
    "\n",
  );
  let key: Buffer = hmac(`AWS4${options.secret}`, date ?? "");
  for (const part of [region ?? "", service ?? "", "aws4_request"]) key = hmac(key, part);
  const expected = Buffer.from(createHmac("sha256", key).update(stringToSign).digest("hex"));
  const provided = Buffer.from(options.signature);
  return expected.length === provided.length && timingSafeEqual(expected, provided);
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
