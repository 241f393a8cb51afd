import { createHash } from "node:crypto";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { queryRows } from "../db/query-rows";
import type { ObjectStore } from "../storage/object-store";
import { fer2013Csv } from "./fer2013-csv";
import { ferPlusVotesCsv } from "./ferplus-votes-csv";
import { folderZip } from "./folder-zip";
import { getSnapshot } from "./list-snapshots";
import { manifestJsonl } from "./manifest-jsonl";
import { SNAPSHOT_FILES, type SnapshotFileName } from "./snapshot-file-names";
import { readSnapshotBatches, readSnapshotItems } from "./snapshot-items";

export interface FileBuildProgress {
  file: SnapshotFileName;
  items: number;
  totalItems: number;
}

export interface BuiltFile {
  name: SnapshotFileName;
  sizeBytes: number;
  sha256: string;
  seconds: number;
}

export interface BuildOptions {
  /** Only these files (default: every file the snapshot has that is waiting). */
  names?: SnapshotFileName[];
  /** Build failed files again too. */
  retryFailed?: boolean;
  onProgress?: (progress: FileBuildProgress) => void;
}

/** A build whose process went silent this long ago is taken over. */
const STALE_BUILD = "5 minutes";
const PROGRESS_EVERY_MS = 1000;

/**
 * Writes a snapshot's waiting files to S3, each once: generated from the frozen items in row order, streamed
 * through a SHA-256 and a byte count into a multipart upload, so neither memory nor disk holds a whole file. Each
 * file is claimed first (pending, or a stale build), so two processes never build the same one; the row records
 * progress while building, then its size and SHA-256. Downloads serve these objects (Range, ETag = the SHA-256).
 */
export async function buildSnapshotFiles(
  db: Database,
  store: ObjectStore,
  snapshotId: number,
  options: BuildOptions = {},
): Promise<BuiltFile[]> {
  const snapshot = await getSnapshot(db, snapshotId);
  if (!snapshot) throw new Error(`no snapshot ${snapshotId}`);
  const claimed = await queryRows<{ name: SnapshotFileName; storage_key: string }>(
    db,
    sql`update dataset_snapshot_files set status = 'building', progress = 0, error = null, updated_at = now()
        where snapshot_id = ${snapshotId}
          and (status = 'pending' or (status = 'building' and updated_at < now() - ${STALE_BUILD}::interval)
               ${options.retryFailed ? sql`or status = 'failed'` : sql``})
          ${options.names ? sql`and name = any(${sql.param(options.names)}::text[])` : sql``}
        returning name, storage_key`,
  );
  const order = Object.keys(SNAPSHOT_FILES);
  claimed.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));

  const built: BuiltFile[] = [];
  for (const file of claimed) {
    const started = performance.now();
    let items = 0;
    let reported = 0;
    const count = async function* <T extends { length: number } | { items: { length: number } }>(
      source: AsyncIterable<T>,
    ) {
      for await (const batch of source) {
        yield batch;
        items += "items" in batch ? batch.items.length : batch.length;
        options.onProgress?.({ file: file.name, items, totalItems: snapshot.imageCount });
        if (performance.now() - reported > PROGRESS_EVERY_MS) {
          reported = performance.now();
          const progress = snapshot.imageCount === 0 ? 1 : items / snapshot.imageCount;
          await db.execute(sql`update dataset_snapshot_files set progress = ${progress}, updated_at = now()
                               where snapshot_id = ${snapshotId} and name = ${file.name}`);
        }
      }
    };
    const batches = () => count(readSnapshotBatches(db, store, snapshotId));
    const itemBatches = () => count(readSnapshotItems(db, snapshotId));
    try {
      const source = fileBytes(file.name, {
        batches,
        itemBatches,
        method: snapshot.filter.labelMethod,
        created: snapshot.createdAt,
      });
      const hash = createHash("sha256");
      let size = 0;
      const measure = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          size += chunk.length;
          done(null, chunk);
        },
      });
      const upload = store.putStream(file.storage_key, measure, { contentType: SNAPSHOT_FILES[file.name].contentType });
      upload.catch((error: Error) => measure.destroy(error));
      await Promise.all([pipeline([...source, measure]), upload]);
      const sha256 = hash.digest("hex");
      await db.execute(sql`
        update dataset_snapshot_files
        set status = 'ready', size_bytes = ${size}, sha256 = ${sha256}, progress = 1, built_at = now(), updated_at = now()
        where snapshot_id = ${snapshotId} and name = ${file.name}`);
      built.push({ name: file.name, sizeBytes: size, sha256, seconds: (performance.now() - started) / 1000 });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await db.execute(sql`
        update dataset_snapshot_files set status = 'failed', error = ${message}, updated_at = now()
        where snapshot_id = ${snapshotId} and name = ${file.name}`);
      throw new Error(`building ${file.name} of snapshot ${snapshotId} failed: ${message}`, { cause: error });
    }
  }
  return built;
}

export interface Sources {
  batches: () => ReturnType<typeof readSnapshotBatches>;
  itemBatches: () => ReturnType<typeof readSnapshotItems>;
  method: Parameters<typeof manifestJsonl>[1];
  created: Date;
}

/** A file's bytes, in order: the stream stages to pipe through. */
export function fileBytes(name: SnapshotFileName, sources: Sources): [Readable, ...Transform[]] {
  switch (name) {
    case "fer2013.csv":
      return [bytes(fer2013Csv(sources.batches()))];
    case "fer2013.csv.gz":
      // Node's gzip header carries no file name and a zero mtime: the same CSV always gives the same bytes.
      return [bytes(fer2013Csv(sources.batches())), createGzip({ level: 6 })];
    case "fer2013new.csv":
      return [bytes(ferPlusVotesCsv(sources.itemBatches()))];
    case "manifest.jsonl":
      return [bytes(manifestJsonl(sources.itemBatches(), sources.method))];
    case "images-jpeg.zip":
      return [Readable.fromWeb(folderZip(sources.batches(), "jpeg", sources.created) as never, { objectMode: false })];
    case "images-png.zip":
      return [Readable.fromWeb(folderZip(sources.batches(), "png", sources.created) as never, { objectMode: false })];
  }
}

/**
 * A byte stream over generated chunks. Not Readable.from's default object mode: it reads ahead up to 16 chunks while
 * the upload is slower, and a chunk here is a whole batch's rows (tens of MiB), so memory grew with the file.
 */
function bytes(chunks: AsyncIterable<Buffer>): Readable {
  return Readable.from(chunks, { objectMode: false });
}
