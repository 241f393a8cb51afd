import { createHash } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { sql } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import yauzl from "yauzl";
import { queryRows } from "../../lib/db/query-rows";
import { openDataset } from "../../lib/datasets/open-dataset";
import type { DatasetRecord } from "../../lib/datasets/types";
import { makeTempDir, writeFixture } from "../../lib/datasets/testing/fixtures";
import { EMOTIONS, FERPLUS_COLUMNS } from "../../lib/emotions";
import { faceContentHash } from "../../lib/images/face-hash";
import { syntheticFaces } from "../../lib/images/synthetic-faces";
import { importDataset } from "../../lib/import/import-dataset";
import { buildSnapshotFiles } from "../../lib/snapshots/build-snapshot-files";
import { createSnapshot } from "../../lib/snapshots/create-snapshot";
import { getSnapshot } from "../../lib/snapshots/list-snapshots";
import { snapshotFileResponse } from "../../lib/snapshots/snapshot-file-response";
import type { ObjectStore } from "../../lib/storage/object-store";
import { createTestDatabase } from "../support/test-database";
import { createTestStore } from "../support/test-s3";

const USAGES = ["Training", "PublicTest", "PrivateTest"] as const;
const faces = syntheticFaces(42, 7);

/** 42 rows, 14 per split; row 41 repeats row 0's pixels (a duplicate across train and test). */
function fer2013Text(): string {
  const lines = faces.map((f, i) => `${f.label},${Array.from(f.pixels).join(" ")},${USAGES[Math.floor(i / 14)]}`);
  lines[41] = `${faces[0].label},${Array.from(faces[0].pixels).join(" ")},PrivateTest`;
  return `emotion,pixels,Usage\n${lines.join("\n")}\n`;
}

/** FER+ votes: row 1's crowd says happy (10 votes), row 2 is not a face, the rest agree with FER-2013. */
function ferPlusText(): string {
  const header = `Usage,Image name,${FERPLUS_COLUMNS.join(",")}`;
  const lines = faces.map((f, row) => {
    const votes = new Array<number>(10).fill(0);
    const column = (label: number) => FERPLUS_COLUMNS.findIndex((c) => ["anger", "disgust", "fear", "happiness", "sadness", "surprise", "neutral"][label] === c);
    if (row === 1) votes[column(3)] = 10;
    else if (row === 2) votes[9] = 10;
    else {
      votes[column(f.label)] = 7;
      votes[0] += 3;
    }
    return `${USAGES[Math.min(2, Math.floor(row / 14))]},fer${String(row).padStart(7, "0")}.png,${votes.join(",")}`;
  });
  return `${header}\n${lines.join("\n")}\n`;
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

async function readAll(response: Response): Promise<Buffer> {
  return Buffer.from(await response.arrayBuffer());
}

function zipEntries(buffer: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true, validateEntrySizes: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const out = new Map<string, Buffer>();
      zip.on("entry", (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err);
          const chunks: Buffer[] = [];
          stream.on("data", (c: Buffer) => chunks.push(c));
          stream.on("end", () => {
            out.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on("end", () => resolve(out));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

async function records(path: string): Promise<DatasetRecord[]> {
  const out: DatasetRecord[] = [];
  for await (const record of await openDataset(path)) out.push(record);
  return out;
}

describe("dataset snapshots", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: ObjectStore;
  let tmp: Awaited<ReturnType<typeof makeTempDir>>;
  let researcherId: string;
  let snapshotId: number;
  const files = new Map<string, Buffer>();

  beforeAll(async () => {
    [database, store, tmp] = await Promise.all([createTestDatabase(), createTestStore(), makeTempDir()]);
    await importDataset({ db: database.db, store, path: await writeFixture(tmp.file("fer2013.csv"), fer2013Text()), batchSize: 16 });
    await importDataset({ db: database.db, store, path: await writeFixture(tmp.file("fer2013new.csv"), ferPlusText()) });
    researcherId = await addUser("r@faceloop.test", "researcher");
  });
  async function addUser(email: string, role: string): Promise<string> {
    const [user] = await queryRows<{ id: string }>(
      database.db,
      sql`insert into users (email, name, role) values (${email}, ${email}, ${role}::role) returning id`,
    );
    return user.id;
  }
  afterAll(async () => {
    await database?.drop();
    await tmp?.cleanup();
  });

  it("freezes the set under a filter: counts per split and class, exclusions, audit entry", async () => {
    const created = await createSnapshot(
      database.db,
      { name: "all, original labels", filter: { splits: ["train", "val", "test"], labelMethod: "original", png: true } as never },
      researcherId,
    );
    snapshotId = created.id;
    expect(created.version).toBe(1);
    // 41 distinct faces; row 2 is not a face by FER+ and left out.
    expect(created.imageCount).toBe(40);
    expect(created.stats.excluded.notFace).toBe(1);
    const total = (["train", "val", "test"] as const).map((s) => created.stats.counts[s].reduce((a, b) => a + b, 0));
    expect(total).toEqual([12, 14, 14]); // row 0 moved to test with its duplicate, row 1/2 train
    // Row 1: FER-2013 says faces[1].label, the crowd says happy: the original method keeps the original label.
    expect(created.stats.relabelled).toBe(0);
    const [audit] = await queryRows<{ action: string; actor_id: string }>(
      database.db,
      sql`select action, actor_id from audit_log where subject = ${`snapshot:${created.id}`}`,
    );
    expect(audit).toEqual({ action: "snapshot.create", actor_id: researcherId });
  });

  it("builds every file once into S3 with its size and SHA-256", async () => {
    const built = await buildSnapshotFiles(database.db, store, snapshotId);
    expect(built.map((f) => f.name).sort()).toEqual(
      ["fer2013.csv", "fer2013.csv.gz", "fer2013new.csv", "images-jpeg.zip", "images-png.zip", "manifest.jsonl"].sort(),
    );
    const snapshot = (await getSnapshot(database.db, snapshotId))!;
    for (const file of snapshot.files) {
      expect(file.status).toBe("ready");
      const bytes = Buffer.from(await store.get(file.storageKey));
      expect(bytes.length).toBe(file.sizeBytes);
      expect(sha256(bytes)).toBe(file.sha256);
      files.set(file.name, bytes);
    }
    // Building again finds nothing waiting.
    expect(await buildSnapshotFiles(database.db, store, snapshotId)).toEqual([]);
  });

  it("fer2013.csv reads back with a plain CSV parser under the original's header, and through the importer's reader", async () => {
    const csv = files.get("fer2013.csv")!;
    expect(gunzipSync(files.get("fer2013.csv.gz")!).equals(csv)).toBe(true);
    const rows = parse(csv, { columns: true }) as Array<{ emotion: string; pixels: string; Usage: string }>;
    expect(Object.keys(rows[0])).toEqual(["emotion", "pixels", "Usage"]);
    expect(rows).toHaveLength(40);
    expect(rows.map((r) => r.Usage).filter((u, i, all) => all.indexOf(u) === i)).toEqual(["Training", "PublicTest", "PrivateTest"]);
    // Row 3 of the input is the third training row kept (rows 0 and 2 are gone from train).
    const third = faces[3];
    const match = rows.find((r) => r.pixels === Array.from(third.pixels).join(" "))!;
    expect(Number(match.emotion)).toBe(third.label);
    expect(match.Usage).toBe("Training");

    const path = await writeFixture(tmp.file("export/fer2013.csv"), csv);
    const read = await records(path);
    expect(read.every((r) => r.kind === "fer2013")).toBe(true);
    expect(read).toHaveLength(40);
  });

  it("the votes CSV is row-aligned with fer2013.csv and carries FER+ votes", async () => {
    const votes = parse(files.get("fer2013new.csv")!, { columns: true }) as Array<Record<string, string>>;
    const rows = parse(files.get("fer2013.csv")!, { columns: true }) as Array<{ emotion: string; Usage: string }>;
    expect(Object.keys(votes[0])).toEqual(["Usage", "Image name", ...FERPLUS_COLUMNS]);
    expect(votes).toHaveLength(rows.length);
    votes.forEach((v, i) => {
      expect(v.Usage).toBe(rows[i].Usage);
      expect(v["Image name"]).toBe(`fer${String(i).padStart(7, "0")}.png`);
    });
    const path = await writeFixture(tmp.file("export/fer2013new.csv"), files.get("fer2013new.csv")!);
    const read = await records(path);
    expect(read.filter((r) => r.kind === "ferplus")).toHaveLength(40);
  });

  it("the folder zips open with yauzl in the msambare layout; PNG keeps the exact pixels; the importer reads them", async () => {
    const manifest = files
      .get("manifest.jsonl")!
      .toString("utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { sha256: string; file: string; split: string; emotion: string; row: number });
    expect(manifest).toHaveLength(40);
    expect(manifest.map((m) => m.row)).toEqual([...manifest.keys()]);

    const jpeg = await zipEntries(files.get("images-jpeg.zip")!);
    const png = await zipEntries(files.get("images-png.zip")!);
    expect([...jpeg.keys()].sort()).toEqual(manifest.map((m) => m.file).sort());
    for (const name of jpeg.keys()) {
      expect(name).toMatch(new RegExp(`^(train|test)/(${EMOTIONS.join("|")})/(Training|PublicTest|PrivateTest)_\\d+\\.jpg$`));
    }
    for (const entry of manifest) {
      const pngBytes = png.get(entry.file.replace(/\.jpg$/, ".png"))!;
      const { data, info } = await sharp(pngBytes).toColourspace("b-w").raw().toBuffer({ resolveWithObject: true });
      expect(info.width * info.height * info.channels).toBe(2304);
      expect(sha256(data)).toBe(entry.sha256);
    }
    const zipPath = tmp.file("export/images-png.zip");
    await writeFile(zipPath, files.get("images-png.zip")!);
    const read = await records(zipPath);
    const folder = read.filter((r) => r.kind === "folder");
    expect(folder).toHaveLength(40);
    expect(new Set(folder.map((r) => sha256(r.pixels)))).toEqual(new Set(manifest.map((m) => m.sha256)));
    const jpegPath = tmp.file("export/images-jpeg.zip");
    await writeFile(jpegPath, files.get("images-jpeg.zip")!);
    expect((await records(jpegPath)).filter((r) => r.kind === "folder")).toHaveLength(40);
  });

  it("fer2013.csv imported into an empty install gives the same faces, labels and splits", async () => {
    const [empty, emptyStore] = await Promise.all([createTestDatabase(), createTestStore()]);
    try {
      const path = await writeFixture(tmp.file("roundtrip/fer2013.csv"), files.get("fer2013.csv")!);
      const summary = await importDataset({ db: empty.db, store: emptyStore, path });
      expect(summary.imagesAdded).toBe(40);
      const query = sql`select i.content_hash, i.split::text, a.label from images i
                        join annotations a on a.image_id = i.id and a.annotator_id is null order by i.content_hash`;
      const imported = await queryRows<{ content_hash: string; split: string; label: number }>(empty.db, query);
      const frozen = await queryRows<{ content_hash: string; split: string; label: number }>(
        database.db,
        sql`select content_hash, split::text, label from dataset_snapshot_items where snapshot_id = ${snapshotId} order by content_hash`,
      );
      expect(imported).toEqual(frozen);
    } finally {
      await empty.drop();
    }
  });

  it("a download interrupted halfway resumes with Range to identical bytes", async () => {
    const snapshot = (await getSnapshot(database.db, snapshotId))!;
    const whole = files.get("images-jpeg.zip")!;
    const url = "http://app/api/datasets/snapshots/1/files/images-jpeg.zip?via=app";
    const full = await snapshotFileResponse(new Request(url), snapshot, "images-jpeg.zip", store);
    expect(full.status).toBe(200);
    expect(full.headers.get("content-length")).toBe(String(whole.length));
    expect(full.headers.get("accept-ranges")).toBe("bytes");
    expect(full.headers.get("cache-control")).toContain("no-transform");
    const etag = full.headers.get("etag")!;
    expect(etag).toBe(`"${sha256(whole)}"`);
    // Read half, then drop the connection.
    const reader = full.body!.getReader();
    const firstPart: Uint8Array[] = [];
    let got = 0;
    const half = Math.floor(whole.length / 2);
    while (got < half) {
      const { value } = await reader.read();
      firstPart.push(value!);
      got += value!.length;
    }
    await reader.cancel();
    const head = Buffer.concat(firstPart).subarray(0, half);
    const rest = await snapshotFileResponse(
      new Request(url, { headers: { range: `bytes=${half}-`, "if-range": etag } }),
      snapshot,
      "images-jpeg.zip",
      store,
    );
    expect(rest.status).toBe(206);
    expect(rest.headers.get("content-range")).toBe(`bytes ${half}-${whole.length - 1}/${whole.length}`);
    expect(rest.headers.get("content-length")).toBe(String(whole.length - half));
    const resumed = Buffer.concat([head, await readAll(rest)]);
    expect(sha256(resumed)).toBe(sha256(whole));

    // A stale If-Range gets the whole file; a range past the end gets 416.
    const stale = await snapshotFileResponse(
      new Request(url, { headers: { range: `bytes=${half}-`, "if-range": '"other"' } }),
      snapshot,
      "images-jpeg.zip",
      store,
    );
    expect(stale.status).toBe(200);
    await stale.body?.cancel();
    const beyond = await snapshotFileResponse(
      new Request(url, { headers: { range: `bytes=${whole.length}-` } }),
      snapshot,
      "images-jpeg.zip",
      store,
    );
    expect(beyond.status).toBe(416);
  });

  it("by default hands out a presigned S3 GET: same bytes, Content-Length, and a Range resume", async () => {
    const snapshot = (await getSnapshot(database.db, snapshotId))!;
    const redirect = await snapshotFileResponse(
      new Request("http://app/api/datasets/snapshots/1/files/fer2013.csv.gz"),
      snapshot,
      "fer2013.csv.gz",
      store,
    );
    expect(redirect.status).toBe(302);
    const fromS3 = await fetch(redirect.headers.get("location")!);
    expect(fromS3.status).toBe(200);
    expect(fromS3.headers.get("content-length")).toBe(String(files.get("fer2013.csv.gz")!.length));
    expect(fromS3.headers.get("content-disposition")).toBe('attachment; filename="faceloop-v1-fer2013.csv.gz"');
    expect(sha256(await readAll(fromS3))).toBe(sha256(files.get("fer2013.csv.gz")!));
    const ranged = await fetch(redirect.headers.get("location")!, { headers: { range: "bytes=10-19" } });
    expect(ranged.status).toBe(206);
    expect((await readAll(ranged)).equals(files.get("fer2013.csv.gz")!.subarray(10, 20))).toBe(true);
  });

  it("a snapshot does not change when new labels arrive; the next one sees them", async () => {
    const before = await queryRows<Record<string, unknown>>(
      database.db,
      sql`select * from dataset_snapshot_items where snapshot_id = ${snapshotId} order by position`,
    );
    // Two people relabel row 3's face as surprise.
    const [image] = await queryRows<{ image_id: number }>(
      database.db,
      sql`select id as image_id from images where content_hash = ${faceContentHash(faces[3].pixels)}`,
    );
    const other = await addUser("a@faceloop.test", "annotator");
    for (const annotator of [researcherId, other]) {
      await database.db.execute(sql`insert into annotations (image_id, annotator_id, source, label)
                                    values (${image.image_id}, ${annotator}, 'person', 5)`);
    }
    const after = await queryRows<Record<string, unknown>>(
      database.db,
      sql`select * from dataset_snapshot_items where snapshot_id = ${snapshotId} order by position`,
    );
    expect(after).toEqual(before);
    await expect(
      database.db.execute(sql`update dataset_snapshot_items set label = 0 where snapshot_id = ${snapshotId}`),
    ).rejects.toSatisfy((error: Error) => /immutable/.test(String((error.cause as Error | undefined)?.message)));

    const majority = await createSnapshot(
      database.db,
      { name: "majority", filter: { labelMethod: "majority", splits: ["train"] } as never },
      researcherId,
    );
    expect(majority.version).toBe(2);
    const [item] = await queryRows<{ label: number; confidence: number; people_votes: number[] }>(
      database.db,
      sql`select label, confidence, people_votes from dataset_snapshot_items
          where snapshot_id = ${majority.id} and image_id = ${image.image_id}`,
    );
    // 7 crowd votes + the original for faces[3].label against 2 people + 0: the crowd still wins.
    expect(item.label).toBe(faces[3].label);
    expect(item.people_votes[5]).toBe(2);
    // Row 1: the crowd (10 happy) outvotes FER-2013.
    expect(majority.stats.relabelled).toBeGreaterThanOrEqual(1);
    expect(majority.stats.agreement.mean.some((m) => m !== null)).toBe(true);

    const dawidSkene = await createSnapshot(
      database.db,
      { name: "dawid-skene", filter: { labelMethod: "dawid-skene", minConfidence: 0.5 } as never },
      researcherId,
    );
    expect(dawidSkene.version).toBe(3);
    expect(dawidSkene.imageCount).toBeGreaterThan(30);
    const [target] = await queryRows<{ target: number[] }>(
      database.db,
      sql`select target from dataset_snapshot_items where snapshot_id = ${dawidSkene.id} limit 1`,
    );
    expect(target.target.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
  });
});
