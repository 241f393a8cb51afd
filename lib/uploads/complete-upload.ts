import type { Database } from "../db/client";
import type { ObjectStore } from "../storage/object-store";
import { decodeUploadedFace } from "./decode-uploaded-face";
import { storeUploadedFace } from "./store-uploaded-face";
import { UploadError } from "./upload-error";
import { claimUpload, getUpload, markUploadFailed, releaseUpload } from "./upload-records";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface CompletedUpload {
  uploadId: string;
  imageId: number;
  imageUrl: string;
}

/**
 * Checks an uploaded object and, if it is a new 48x48 gray face, stores it as a training image of this user.
 * The object must be this user's (the upload row binds the id to its uploader), have arrived, have exactly the
 * signed size, and pass decodeUploadedFace; a face already in the dataset is refused. Either way the temporary
 * object is deleted and the upload row records the outcome; a refused upload writes no image, shard or source.
 * Completing a completed upload again answers the same image (a retried request).
 */
export async function completeUpload(
  db: Database,
  store: ObjectStore,
  request: { userId: string; uploadId: string },
): Promise<CompletedUpload> {
  const { userId, uploadId } = request;
  if (!UUID.test(uploadId)) throw new UploadError(404, `no upload ${uploadId} of yours`);
  const upload = await claimUpload(db, uploadId, userId);
  if (!upload) return answerUnclaimable(db, uploadId, userId);

  let info;
  try {
    info = await store.head(upload.storageKey);
  } catch (error) {
    await releaseUpload(db, uploadId);
    throw error;
  }
  if (!info) {
    await releaseUpload(db, uploadId);
    throw new UploadError(409, "the file has not arrived in storage: upload it first, then complete");
  }

  try {
    if (info.size !== upload.contentLength) throw sizeMismatch(info.size, upload.contentLength);
    const bytes = await store.get(upload.storageKey);
    if (bytes.length !== upload.contentLength) throw sizeMismatch(bytes.length, upload.contentLength);
    const pixels = await decodeUploadedFace(bytes);
    const imageId = await storeUploadedFace(db, store, { uploadId, userId, pixels });
    await deleteQuietly(store, upload.storageKey);
    return { uploadId, imageId, imageUrl: `/api/images/${imageId}` };
  } catch (error) {
    if (!(error instanceof UploadError)) {
      // Our failure, not the file's: keep the upload so completing it again can succeed.
      await releaseUpload(db, uploadId);
      throw error;
    }
    await markUploadFailed(db, uploadId, error.message);
    await deleteQuietly(store, upload.storageKey);
    throw error;
  }
}

async function answerUnclaimable(db: Database, uploadId: string, userId: string): Promise<CompletedUpload> {
  const upload = await getUpload(db, uploadId, userId);
  if (!upload) throw new UploadError(404, `no upload ${uploadId} of yours`);
  if (upload.status === "completed" && upload.imageId !== null) {
    return { uploadId, imageId: upload.imageId, imageUrl: `/api/images/${upload.imageId}` };
  }
  if (upload.status === "completed")
    throw new UploadError(409, "this upload was stored, but its image has since been removed");
  if (upload.status === "failed") throw new UploadError(409, `this upload was already refused: ${upload.error}`);
  throw new UploadError(409, "this upload is being checked already");
}

function sizeMismatch(actual: number, signed: number): UploadError {
  return new UploadError(400, `size differs from the signed upload (${actual} bytes, signed for ${signed})`);
}

async function deleteQuietly(store: ObjectStore, key: string): Promise<void> {
  try {
    await store.delete(key);
  } catch (error) {
    // Left behind only if S3 fails right now; deleteAbandonedUploads never sees it (the row is final), but the
    // object is small and under uploads/tmp/, which a bucket lifecycle rule can expire.
    console.error(`could not delete temporary upload ${key}:`, error instanceof Error ? error.message : error);
  }
}
