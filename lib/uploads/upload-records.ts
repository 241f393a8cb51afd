import { and, count, desc, eq, gt, isNotNull } from "drizzle-orm";
import { sql } from "drizzle-orm";
import { uploads } from "../../db/schema";
import type { Database } from "../db/client";
import { queryRows } from "../db/query-rows";

/** Data access for the uploads table: one row per signed upload, bound to its uploader. */
export interface UploadRecord {
  id: string;
  userId: string;
  storageKey: string;
  contentType: string;
  contentLength: number;
  status: "pending" | "checking" | "completed" | "failed";
  imageId: number | null;
  error: string | null;
  createdAt: Date;
  expiresAt: Date;
}

/** A check that stopped half-way (the server died) may be taken up again after this long. */
const STALE_CHECK_SECONDS = 120;

export async function insertUpload(
  db: Database,
  row: Pick<UploadRecord, "id" | "userId" | "storageKey" | "contentType" | "contentLength" | "expiresAt">,
): Promise<void> {
  await db.insert(uploads).values(row);
}

export async function countPendingUploads(db: Database, userId: string, now: Date): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(uploads)
    .where(and(eq(uploads.userId, userId), eq(uploads.status, "pending"), gt(uploads.expiresAt, now)));
  return row?.n ?? 0;
}

export async function getUpload(db: Database, uploadId: string, userId: string): Promise<UploadRecord | null> {
  const [row] = await db
    .select()
    .from(uploads)
    .where(and(eq(uploads.id, uploadId), eq(uploads.userId, userId)));
  return row ? toRecord(row) : null;
}

/**
 * Takes a pending upload of this user for checking, so two completions of one upload cannot both store it.
 * Null when there is no such pending upload of this user.
 */
export async function claimUpload(db: Database, uploadId: string, userId: string): Promise<UploadRecord | null> {
  const rows = await queryRows<RawUploadRow>(
    db,
    sql`
    update uploads set status = 'checking', updated_at = now()
    where id = ${uploadId} and user_id = ${userId}
      and (status = 'pending' or (status = 'checking' and updated_at < now() - make_interval(secs => ${STALE_CHECK_SECONDS})))
    returning *`,
  );
  return rows[0] ? fromRaw(rows[0]) : null;
}

/** Gives a claimed upload back (the file had not arrived yet, or the server failed): it may be completed again. */
export async function releaseUpload(db: Database, uploadId: string): Promise<void> {
  await db
    .update(uploads)
    .set({ status: "pending", updatedAt: sql`now()` })
    .where(and(eq(uploads.id, uploadId), eq(uploads.status, "checking")));
}

export async function markUploadFailed(db: Database, uploadId: string, error: string): Promise<void> {
  await db
    .update(uploads)
    .set({ status: "failed", error, updatedAt: sql`now()` })
    .where(eq(uploads.id, uploadId));
}

export async function markUploadCompleted(
  db: Pick<Database, "update">,
  uploadId: string,
  imageId: number,
): Promise<void> {
  await db
    .update(uploads)
    .set({ status: "completed", imageId, error: null, updatedAt: sql`now()` })
    .where(eq(uploads.id, uploadId));
}

/**
 * Pending uploads whose URL expired more than `graceSeconds` ago are abandoned: marks them failed and returns
 * their storage keys, for the caller to delete. Only this user's when a user is given.
 */
export async function expireAbandonedUploads(
  db: Database,
  options: { now: Date; graceSeconds: number; userId?: string },
): Promise<string[]> {
  const cutoff = new Date(options.now.getTime() - options.graceSeconds * 1000);
  const rows = await queryRows<{ storage_key: string }>(
    db,
    sql`
    update uploads set status = 'failed', error = 'expired before it was completed', updated_at = now()
    where status = 'pending' and expires_at < ${cutoff.toISOString()}::timestamptz
      ${options.userId ? sql`and user_id = ${options.userId}` : sql``}
    returning storage_key`,
  );
  return rows.map((r) => r.storage_key);
}

export interface UploadedFace {
  uploadId: string;
  imageId: number;
  createdAt: Date;
}

/** The faces this user uploaded that are in the dataset, newest first. */
export async function listUploadedFaces(db: Database, userId: string, limit: number): Promise<UploadedFace[]> {
  const rows = await db
    .select({ uploadId: uploads.id, imageId: uploads.imageId, createdAt: uploads.createdAt })
    .from(uploads)
    .where(and(eq(uploads.userId, userId), eq(uploads.status, "completed"), isNotNull(uploads.imageId)))
    .orderBy(desc(uploads.createdAt))
    .limit(limit);
  return rows.map((r) => ({ uploadId: r.uploadId, imageId: r.imageId!, createdAt: r.createdAt }));
}

interface RawUploadRow {
  id: string;
  user_id: string;
  storage_key: string;
  content_type: string;
  content_length: number;
  status: UploadRecord["status"];
  image_id: number | null;
  error: string | null;
  created_at: string | Date;
  expires_at: string | Date;
}

function fromRaw(row: RawUploadRow): UploadRecord {
  return {
    id: row.id,
    userId: row.user_id,
    storageKey: row.storage_key,
    contentType: row.content_type,
    contentLength: Number(row.content_length),
    status: row.status,
    imageId: row.image_id,
    error: row.error,
    createdAt: new Date(row.created_at),
    expiresAt: new Date(row.expires_at),
  };
}

function toRecord(row: typeof uploads.$inferSelect): UploadRecord {
  return {
    id: row.id,
    userId: row.userId,
    storageKey: row.storageKey,
    contentType: row.contentType,
    contentLength: row.contentLength,
    status: row.status,
    imageId: row.imageId,
    error: row.error,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
  };
}
