import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { queryRows } from "../db/query-rows";
import { faceContentHash } from "../images/face-hash";
import { writeFaceShard } from "../images/face-shards";
import type { ObjectStore } from "../storage/object-store";
import { UploadError } from "./upload-error";
import { markUploadCompleted } from "./upload-records";

/** How uploads appear in image_sources. */
export const UPLOAD_SOURCE = "upload";

/**
 * Stores one checked face the way imports do: its pixels as a one-face shard in S3 first, then one transaction
 * records the image (split train, uploaded by the user, no label) and its source (the upload id) and marks the
 * upload completed. A face already in the dataset is refused with its image id. The shard key is the hash of the
 * face, so a failed transaction leaves at most that one object, which is removed unless another image uses it.
 */
export async function storeUploadedFace(
  db: Database,
  store: ObjectStore,
  upload: { uploadId: string; userId: string; pixels: Uint8Array },
): Promise<number> {
  const hash = faceContentHash(upload.pixels);
  const existing = await findImageByHash(db, hash);
  if (existing !== null) throw duplicate(existing);

  const [location] = await writeFaceShard(store, [upload.pixels]);
  try {
    return await db.transaction(async (tx) => {
      const inserted = await queryRows<{ id: number }>(
        tx,
        sql`
        insert into images (content_hash, split, storage_key, storage_offset, source_count, uploaded_by)
        values (${hash}, 'train', ${location.storageKey}, ${location.storageOffset}, 1, ${upload.userId})
        on conflict (content_hash) do nothing
        returning id`,
      );
      if (inserted.length === 0) {
        // Someone stored the same face since the check above.
        throw duplicate((await findImageByHash(tx, hash)) ?? 0);
      }
      const imageId = inserted[0].id;
      await tx.execute(sql`
        insert into image_sources (image_id, source, source_ref, declared_split, original_label)
        values (${imageId}, ${UPLOAD_SOURCE}, ${upload.uploadId}, 'train', null)`);
      await markUploadCompleted(tx, upload.uploadId, imageId);
      return imageId;
    });
  } catch (error) {
    await deleteShardIfUnused(db, store, location.storageKey);
    throw error;
  }
}

async function findImageByHash(db: Pick<Database, "execute">, hash: string): Promise<number | null> {
  const rows = await queryRows<{ id: number }>(db, sql`select id from images where content_hash = ${hash}`);
  return rows[0]?.id ?? null;
}

function duplicate(imageId: number): UploadError {
  return new UploadError(409, `already in the dataset (image #${imageId})`);
}

async function deleteShardIfUnused(db: Database, store: ObjectStore, storageKey: string): Promise<void> {
  try {
    const users = await queryRows<{ id: number }>(
      db,
      sql`select id from images where storage_key = ${storageKey} limit 1`,
    );
    if (users.length === 0) await store.delete(storageKey);
  } catch {
    // Best effort: an unreferenced shard is harmless, only a row without pixels would not be.
  }
}
