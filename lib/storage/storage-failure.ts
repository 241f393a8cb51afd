/**
 * Whether an error means the storage service is down or not answering (rather than a bad request or a missing
 * object), and what to tell a person: 504 when it timed out, 503 when it refused or failed. Routes that need S3
 * answer this instead of a bare 500; everything else keeps working while S3 is away.
 */
export interface StorageFailure {
  status: 503 | 504;
  message: string;
}

const CONNECTION_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);

export function storageFailure(error: unknown): StorageFailure | null {
  if (typeof error !== "object" || error === null) return null;
  const { name, code, message, $metadata } = error as {
    name?: string;
    code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
  };
  if (name === "TimeoutError" || code === "ETIMEDOUT") {
    return { status: 504, message: "The image storage did not answer in time. Try again in a minute." };
  }
  if ((code && CONNECTION_CODES.has(code)) || /socket hang up|ECONNREFUSED|ECONNRESET/.test(message ?? "")) {
    return { status: 503, message: "The image storage cannot be reached right now. Try again in a minute." };
  }
  const status = $metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) {
    return { status: 503, message: "The image storage is failing right now. Try again in a minute." };
  }
  const cause = (error as { cause?: unknown }).cause;
  return cause && cause !== error ? storageFailure(cause) : null;
}
