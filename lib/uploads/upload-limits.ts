/**
 * What an upload may be. The browser converts every photo to a 48x48 grayscale PNG before anything leaves it; the
 * server signs uploads of that one type and a small size only, and checks the object again after the upload.
 */
export const UPLOAD_CONTENT_TYPE = "image/png";

/** A 48x48 8-bit PNG is 2-7 KB even uncompressed-ish; 64 KB leaves room for any encoder's metadata. */
export const MAX_UPLOAD_BYTES = 64 * 1024;

/** Photos the browser accepts to crop from, and how large they may be before it refuses to decode them. */
export const SOURCE_PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;
export const MAX_SOURCE_PHOTO_BYTES = 20 * 1024 * 1024;

/** How long a presigned PUT stays valid. */
export const UPLOAD_URL_TTL_SECONDS = 10 * 60;

/** Unfinished uploads one person may hold at once (each is a signed URL and a row). */
export const MAX_PENDING_UPLOADS_PER_USER = 50;

/** Where an upload waits until the server has checked it. The user id in the key binds it to its uploader. */
export function uploadStorageKey(userId: string, uploadId: string): string {
  return `uploads/tmp/${userId}/${uploadId}.png`;
}

/** "20 MB", "64 KB", "812 bytes": sizes as people read them. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KB`;
  return `${bytes} bytes`;
}
