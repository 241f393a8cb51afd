import type { IncomingHttpHeaders } from "node:http";
import { canonicalHeaders, canonicalQuery, parseQuery, signatureMatches } from "./sigv4";

export interface PresignedRequest {
  method: string;
  /** The raw request target, path and query exactly as sent (Node's `req.url`). */
  url: string;
  headers: IncomingHttpHeaders;
}

export type SignatureCheck =
  | { ok: true }
  | {
      ok: false;
      code:
        "InvalidAccessKeyId" | "SignatureDoesNotMatch" | "AccessDenied" | "RequestTimeTooSkewed" | "InvalidArgument";
    };
export type PresignedCheck = SignatureCheck;

/**
 * Checks the SigV4 signature of a presigned (query-string) S3 request, as AWS S3 does. s3rver 3.7.1 never checks
 * V4 signatures, so without this the local server would accept a presigned PUT with another Content-Type or
 * Content-Length than was signed, and a browser bug would first show up in production.
 * Returns null for requests that are not presigned (see verifyRequestSignature for the others).
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
  if (params === null) return { ok: false, code: "InvalidArgument" };
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

  const canonicalRequest = [
    request.method.toUpperCase(),
    path, // S3 signs the path as sent, without normalising or re-encoding it.
    canonicalQuery(params.filter(([key]) => key !== "X-Amz-Signature")),
    ...canonicalHeaders(request.headers, signedHeaders.split(";")),
    "",
    signedHeaders,
    get("X-Amz-Content-Sha256") ?? "UNSIGNED-PAYLOAD",
  ].join("\n");
  const ok = signatureMatches({ canonicalRequest, amzDate, scope: scopeParts.join("/"), secret, signature });
  return ok ? { ok: true } : { ok: false, code: "SignatureDoesNotMatch" };
}
