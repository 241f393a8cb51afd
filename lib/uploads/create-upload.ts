import { randomUUID } from "node:crypto";
import type { Database } from "../db/client";
import type { ObjectStore } from "../storage/object-store";
import { UploadError } from "./upload-error";
import {
  formatBytes,
  MAX_PENDING_UPLOADS_PER_USER,
  MAX_UPLOAD_BYTES,
  UPLOAD_CONTENT_TYPE,
  UPLOAD_URL_TTL_SECONDS,
  uploadStorageKey,
} from "./upload-limits";
import { countPendingUploads, expireAbandonedUploads, insertUpload } from "./upload-records";

export interface SignedUpload {
  uploadId: string;
  /** PUT the file here with exactly `headers` (the browser sets Content-Length from the body). */
  url: string;
  headers: { "content-type": string };
  expiresAt: string;
}

/**
 * Signs one upload for this user: an id of our choosing, a key under the user's own prefix, and a presigned PUT for
 * exactly `contentLength` bytes of image/png. Also clears the user's abandoned uploads, so a person never collects
 * more than a handful of unfinished ones.
 */
export async function createUpload(
  db: Database,
  store: ObjectStore,
  request: { userId: string; contentType: string; contentLength: number; now?: Date },
): Promise<SignedUpload> {
  const { userId, contentType, contentLength } = request;
  const now = request.now ?? new Date();
  if (contentType !== UPLOAD_CONTENT_TYPE) {
    throw new UploadError(415, `unsupported type ${contentType || "(none)"}: uploads are ${UPLOAD_CONTENT_TYPE} only`);
  }
  if (!Number.isSafeInteger(contentLength) || contentLength < 1) {
    throw new UploadError(400, "contentLength must be a positive whole number of bytes");
  }
  if (contentLength > MAX_UPLOAD_BYTES) {
    throw new UploadError(
      413,
      `too large (${formatBytes(contentLength)}; uploads up to ${formatBytes(MAX_UPLOAD_BYTES)})`,
    );
  }

  await deleteAbandonedUploads(db, store, { now, userId });
  const pending = await countPendingUploads(db, userId, now);
  if (pending >= MAX_PENDING_UPLOADS_PER_USER) {
    throw new UploadError(429, `too many unfinished uploads (${pending}): complete them or wait until they expire`);
  }

  const uploadId = randomUUID();
  const storageKey = uploadStorageKey(userId, uploadId);
  const expiresAt = new Date(now.getTime() + UPLOAD_URL_TTL_SECONDS * 1000);
  const signed = await store.presignPut(storageKey, {
    contentType,
    contentLength,
    maxBytes: MAX_UPLOAD_BYTES,
    expiresSec: UPLOAD_URL_TTL_SECONDS,
  });
  await insertUpload(db, { id: uploadId, userId, storageKey, contentType, contentLength, expiresAt });
  return { uploadId, url: signed.url, headers: signed.headers, expiresAt: expiresAt.toISOString() };
}

/**
 * Uploads left pending well past their URL's expiry: marked failed, their temporary objects deleted. The grace
 * period lets a PUT that finished just before expiry still be completed.
 */
export async function deleteAbandonedUploads(
  db: Database,
  store: ObjectStore,
  options: { now?: Date; userId?: string; graceSeconds?: number } = {},
): Promise<number> {
  const keys = await expireAbandonedUploads(db, {
    now: options.now ?? new Date(),
    graceSeconds: options.graceSeconds ?? UPLOAD_URL_TTL_SECONDS,
    userId: options.userId,
  });
  await Promise.all(keys.map((key) => store.delete(key)));
  return keys.length;
}
