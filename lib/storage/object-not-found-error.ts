/** The key does not exist in the bucket (S3 NoSuchKey, or a 404 on HEAD, which has no error body). */
export class ObjectNotFoundError extends Error {
  readonly key: string;

  constructor(key: string, options?: { cause?: unknown }) {
    super(`Object not found: ${key}`, options);
    this.name = "ObjectNotFoundError";
    this.key = key;
  }
}

/** True for the SDK errors that mean "no such object". */
export function isNotFoundError(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return name === "NoSuchKey" || name === "NotFound" || (name !== "NoSuchBucket" && $metadata?.httpStatusCode === 404);
}
