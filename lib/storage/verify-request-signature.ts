import { canonicalHeaders, canonicalQuery, parseQuery, signatureMatches } from "./sigv4";
import { type PresignedRequest, type SignatureCheck, verifyPresignedRequest } from "./verify-presigned-request";

/** AWS refuses a request whose X-Amz-Date is further than this from its clock (replays of old requests). */
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)$/;

/**
 * Checks that an S3 request is signed with a key this server knows, as AWS S3 does for a private bucket: either
 * presigned (query string) or signed in the Authorization header. Anonymous requests are refused. (s3rver lets
 * anonymous requests through and checks no V4 signature, so without this anyone on the machine could read, overwrite
 * or delete every object.) The payload hash is taken as signed; the body itself is not re-hashed.
 */
export function verifyRequestSignature(
  request: PresignedRequest,
  secretFor: (accessKeyId: string) => string | undefined,
  now: number = Date.now(),
): SignatureCheck {
  const presigned = verifyPresignedRequest(request, secretFor);
  if (presigned) return presigned;

  const authorization = request.headers.authorization;
  if (authorization === undefined) return { ok: false, code: "AccessDenied" };
  const match = AUTHORIZATION.exec(authorization.trim());
  if (!match) return { ok: false, code: "AccessDenied" };
  const [, credential, signedHeaders, signature] = match;
  const [accessKeyId, ...scopeParts] = credential.split("/");
  const secret = secretFor(accessKeyId);
  if (secret === undefined) return { ok: false, code: "InvalidAccessKeyId" };

  const amzDate = String(request.headers["x-amz-date"] ?? "");
  const time = Date.parse(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z"));
  if (Number.isNaN(time) || Math.abs(now - time) > MAX_CLOCK_SKEW_MS)
    return { ok: false, code: "RequestTimeTooSkewed" };

  const queryStart = request.url.indexOf("?");
  const path = queryStart === -1 ? request.url : request.url.slice(0, queryStart);
  const params = queryStart === -1 ? [] : parseQuery(request.url.slice(queryStart + 1));
  if (params === null) return { ok: false, code: "InvalidArgument" };
  const canonicalRequest = [
    request.method.toUpperCase(),
    path,
    canonicalQuery(params),
    ...canonicalHeaders(request.headers, signedHeaders.split(";")),
    "",
    signedHeaders,
    String(request.headers["x-amz-content-sha256"] ?? "UNSIGNED-PAYLOAD"),
  ].join("\n");
  const ok = signatureMatches({ canonicalRequest, amzDate, scope: scopeParts.join("/"), secret, signature });
  return ok ? { ok: true } : { ok: false, code: "SignatureDoesNotMatch" };
}
