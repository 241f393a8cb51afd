import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { queryRows } from "../db/query-rows";
import { isSnapshotFileName, type SnapshotFileName } from "./snapshot-file-names";
import { type TSnapshotFilter, ZSnapshotFilter } from "./snapshot-filter";
import type { SnapshotStats } from "./snapshot-stats";

export interface SnapshotFile {
  name: SnapshotFileName;
  status: "pending" | "building" | "ready" | "failed";
  storageKey: string;
  sizeBytes: number | null;
  sha256: string | null;
  progress: number;
  error: string | null;
}

export interface Snapshot {
  id: number;
  version: number;
  name: string;
  filter: TSnapshotFilter;
  stats: SnapshotStats;
  imageCount: number;
  /** Set when anyone with the link may download. */
  publicToken: string | null;
  createdBy: { id: string; name: string | null; email: string } | null;
  createdAt: Date;
  files: SnapshotFile[];
}

const SELECT = sql`
  select s.id, s.version, s.name, s.filter, s.stats, s.image_count, s.public_token, s.created_at,
         u.id as user_id, u.name as user_name, u.email as user_email,
         coalesce((
           select json_agg(json_build_object('name', f.name, 'status', f.status, 'storageKey', f.storage_key,
             'sizeBytes', f.size_bytes, 'sha256', f.sha256, 'progress', f.progress, 'error', f.error) order by f.name)
           from dataset_snapshot_files f where f.snapshot_id = s.id), '[]') as files
  from dataset_snapshots s left join users u on u.id = s.created_by`;

/** Newest first. */
export async function listSnapshots(db: Database, limit = 50): Promise<Snapshot[]> {
  const rows = await queryRows<Row>(db, sql`${SELECT} order by s.version desc limit ${limit}`);
  return rows.map(toSnapshot);
}

export async function getSnapshot(db: Database, id: number): Promise<Snapshot | null> {
  const [row] = await queryRows<Row>(db, sql`${SELECT} where s.id = ${id}`);
  return row ? toSnapshot(row) : null;
}

export async function getSnapshotByPublicToken(db: Database, token: string): Promise<Snapshot | null> {
  const [row] = await queryRows<Row>(db, sql`${SELECT} where s.public_token = ${token}`);
  return row ? toSnapshot(row) : null;
}

interface Row {
  id: number;
  version: number;
  name: string;
  filter: unknown;
  stats: SnapshotStats;
  image_count: number;
  public_token: string | null;
  created_at: Date | string;
  user_id: string | null;
  user_name: string | null;
  user_email: string | null;
  files: SnapshotFile[] | string;
}

function toSnapshot(row: Row): Snapshot {
  const files = (typeof row.files === "string" ? JSON.parse(row.files) : row.files) as SnapshotFile[];
  return {
    id: row.id,
    version: row.version,
    name: row.name,
    filter: ZSnapshotFilter.parse(row.filter),
    stats: row.stats,
    imageCount: row.image_count,
    publicToken: row.public_token,
    createdBy: row.user_id ? { id: row.user_id, name: row.user_name, email: row.user_email! } : null,
    createdAt: new Date(row.created_at),
    files: files
      .filter((f) => isSnapshotFileName(f.name))
      .map((f) => ({ ...f, sizeBytes: f.sizeBytes === null ? null : Number(f.sizeBytes) })),
  };
}
