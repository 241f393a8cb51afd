import fs from "node:fs";
import path from "node:path";
import { deflateSync } from "node:zlib";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../lib/db/query-rows";
import {
  faceImage,
  fer2013Csv,
  fer2013Line,
  ferPlusCsv,
  gzip,
  makeTempDir,
  writeFixture,
} from "../../lib/datasets/testing/fixtures";
import { buildZip } from "../../lib/datasets/testing/stored-zip";
import { readFace } from "../../lib/images/face-shards";
import { runImportCommand } from "../../lib/import/run-import-command";
import type { ObjectStore } from "../../lib/storage/object-store";
import { createTestDatabase } from "../support/test-database";
import { createTestStore } from "../support/test-s3";

/**
 * A generated corpus of bad inputs for `npm run import`, each checked for its exit code, its message, what it added
 * (usually nothing) and that the database and storage stay consistent: no image without a source or pixels, no
 * source count off, no job left "running".
 */
type Case = {
  name: string;
  make: (dir: string) => Promise<string>;
  code: 0 | 1 | 2;
  message: RegExp;
  /** Images this input adds (default 0). */
  added?: number;
  votes?: number;
};

const VOTES = (...v: number[]) => v.join(",");
const goodVotes = VOTES(0, 0, 0, 10, 0, 0, 0, 0, 0, 0);
const ferPlus = (usage: string, name: string, votes = goodVotes) => `${usage},${name},${votes}`;
const base = fer2013Csv(Array.from({ length: 6 }, (_, i) => fer2013Line(i % 7, "Training", 100 + i)));

/** A PNG header claiming 20000x20000 pixels: decoding it would need 400 MB. */
function hugePngHeader(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(20000, 0);
  ihdr.writeUInt32BE(20000, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  const idat = deflateSync(Buffer.alloc(20001 * 4)); // a few rows only: the file is small, the image is not
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk("IHDR", ihdr),
    chunk("IDAT", idat),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

async function folder(dir: string, files: Record<string, Buffer | string>): Promise<string> {
  for (const [name, data] of Object.entries(files)) await writeFixture(path.join(dir, name), data);
  return dir;
}

const cases: Case[] = [
  // FER-2013 rows
  {
    name: "wrong column count",
    make: (d) => writeFixture(`${d}/f.csv`, fer2013Csv([`3,${"1 ".repeat(2303)}1,Training,extra`])),
    code: 0,
    message: /columns: 1/,
  },
  {
    name: "emotion not a number",
    make: (d) => writeFixture(`${d}/f.csv`, fer2013Csv([fer2013Line("happy", "Training", 1)])),
    code: 0,
    message: /label: 1[\s\S]*not a whole number/,
  },
  {
    name: "emotion 7",
    make: (d) => writeFixture(`${d}/f.csv`, fer2013Csv([fer2013Line(7, "Training", 1)])),
    code: 0,
    message: /out of range 0\.\.6/,
  },
  {
    name: "emotion -1",
    make: (d) => writeFixture(`${d}/f.csv`, fer2013Csv([fer2013Line(-1, "Training", 1)])),
    code: 0,
    message: /label: 1/,
  },
  {
    name: "2303 pixels",
    make: (d) => writeFixture(`${d}/f.csv`, fer2013Csv([`3,${"1 ".repeat(2302)}1,Training`])),
    code: 0,
    message: /pixel-count: 1/,
  },
  {
    name: "pixel 256",
    make: (d) => writeFixture(`${d}/f.csv`, fer2013Csv([`3,256 ${"1 ".repeat(2302)}1,Training`])),
    code: 0,
    message: /pixel-value: 1/,
  },
  {
    name: "pixel not a number",
    make: (d) => writeFixture(`${d}/f.csv`, fer2013Csv([`3,x ${"1 ".repeat(2302)}1,Training`])),
    code: 0,
    message: /pixel-value: 1/,
  },
  {
    name: "unknown Usage",
    make: (d) => writeFixture(`${d}/f.csv`, fer2013Csv([fer2013Line(3, "Holdout", 1)])),
    code: 0,
    message: /unknown Usage "Holdout"/,
  },
  { name: "header only", make: (d) => writeFixture(`${d}/f.csv`, fer2013Csv([])), code: 0, message: /rows read: 0/ },
  {
    name: "CRLF and blank lines between rows",
    make: (d) => writeFixture(`${d}/f.csv`, `emotion,pixels,Usage\r\n\r\n${fer2013Line(2, "PublicTest", 7)}\r\n\r\n`),
    code: 0,
    message: /images added: 1/,
    added: 1,
  },
  // files and containers
  { name: "no such path", make: async (d) => `${d}/missing.csv`, code: 2, message: /no such file or folder/ },
  { name: "empty file", make: (d) => writeFixture(`${d}/f.csv`, ""), code: 1, message: /f\.csv/ },
  { name: "unknown header", make: (d) => writeFixture(`${d}/f.csv`, "name,age\nbob,3\n"), code: 1, message: /f\.csv/ },
  {
    name: "gzip of blank lines",
    make: (d) => writeFixture(`${d}/f.csv.gz`, gzip("\n".repeat(5_000_000))),
    code: 1,
    message: /empty|no header/,
  },
  {
    name: "truncated gzip",
    make: async (d) => {
      const g = gzip(fer2013Csv([0, 1, 2].map((i) => fer2013Line(i, "Training", 300 + i))));
      return writeFixture(`${d}/f.csv.gz`, g.subarray(0, Math.floor(g.length * 0.6)));
    },
    code: 1,
    message: /ends early[\s\S]*nothing from this run was stored/,
  },
  {
    name: "corrupt gzip",
    make: async (d) => {
      const g = gzip(base);
      g.fill(0x55, 40, 400);
      return writeFixture(`${d}/f.csv.gz`, g);
    },
    code: 1,
    message: /corrupt|invalid|could not be read|ends early/,
  },
  {
    name: "line over 1 MiB",
    make: (d) => writeFixture(`${d}/f.csv`, `emotion,pixels,Usage\n3,${"1".repeat(20_000_000)},Training\n`),
    code: 1,
    message: /longer than 1 MiB/,
  },
  {
    name: "corrupt zip",
    make: (d) => writeFixture(`${d}/f.zip`, Buffer.concat([Buffer.from("PK\u0003\u0004"), Buffer.alloc(200, 7)])),
    code: 1,
    message: /zip/,
  },
  {
    name: "zip without a dataset",
    make: (d) => writeFixture(`${d}/f.zip`, buildZip([{ name: "readme.txt", data: "hello" }])),
    code: 1,
    message: /f\.zip/,
  },
  {
    name: "tar.gz without a dataset",
    make: async (d) =>
      writeFixture(
        `${d}/f.tar.gz`,
        await (await import("../../lib/datasets/testing/fixtures")).buildTar({ "notes.txt": "x" }),
      ),
    code: 1,
    message: /f\.tar\.gz/,
  },
  // FER+ votes
  {
    name: "votes not numbers",
    make: (d) =>
      writeFixture(
        `${d}/v.csv`,
        ferPlusCsv([ferPlus("Training", "fer0000000.png", VOTES(0, 0, "x" as never, 0, 0, 0, 0, 0, 0, 0))]),
      ),
    code: 0,
    message: /votes: 1/,
  },
  {
    name: "votes 40000 (over smallint)",
    make: (d) =>
      writeFixture(
        `${d}/v.csv`,
        ferPlusCsv([ferPlus("Training", "fer0000000.png", VOTES(40000, 0, 0, 0, 0, 0, 0, 0, 0, 0))]),
      ),
    code: 0,
    message: /votes: 1[\s\S]*more than 1000/,
  },
  {
    name: "malformed Image name",
    make: (d) => writeFixture(`${d}/v.csv`, ferPlusCsv([ferPlus("Training", "face.png")])),
    code: 0,
    message: /mismatch: 1[\s\S]*not of the form/,
  },
  {
    name: "Usage differs from the row at its position",
    make: (d) => writeFixture(`${d}/v.csv`, ferPlusCsv([ferPlus("PublicTest", "fer0000000.png")])),
    code: 0,
    message: /files do not line up/,
  },
  {
    name: "rows line up by position, not by the number in Image name (it drifts in the real file)",
    make: (d) =>
      writeFixture(
        `${d}/v.csv`,
        ferPlusCsv([ferPlus("Training", "fer0000000.png"), ferPlus("Training", ""), ferPlus("Training", "fer0000099.png")]),
      ),
    code: 0,
    message: /vote rows added: 3/,
    votes: 3,
  },
  {
    name: "a row beyond the imported FER-2013 rows",
    make: (d) =>
      writeFixture(
        `${d}/v.csv`,
        ferPlusCsv(Array.from({ length: 7 }, (_, i) => ferPlus("Training", `fer${String(i).padStart(7, "0")}.png`))),
      ),
    code: 0,
    message: /no-image: 1/,
    votes: 3, // rows 0-2 came in with the case before
  },
  // folders
  {
    name: "symlink out of the folder",
    make: async (d) => {
      const root = await folder(`${d}/f`, { "train/happy/a.png": await faceImage(201) });
      fs.symlinkSync("/etc", `${root}/train/sad`);
      return root;
    },
    code: 0,
    message: /symlink: 1[\s\S]*outside the imported folder/,
    added: 1,
  },
  {
    name: "dangling symlink",
    make: async (d) => {
      const root = await folder(`${d}/f`, { "train/happy/a.png": await faceImage(202) });
      fs.symlinkSync(`${root}/nowhere.png`, `${root}/train/happy/b.png`);
      return root;
    },
    code: 0,
    message: /dangling/,
    added: 1,
  },
  {
    name: "symlink loop",
    make: async (d) => {
      const root = await folder(`${d}/f`, { "train/happy/a.png": await faceImage(203) });
      fs.symlinkSync(`${root}/train`, `${root}/train/happy/loop`);
      return root;
    },
    code: 0,
    message: /loop/,
    added: 1,
  },
  {
    name: "self-referencing symlink",
    make: async (d) => {
      const root = await folder(`${d}/f`, { "train/happy/a.png": await faceImage(204) });
      fs.symlinkSync(`${root}/train/happy/me.png`, `${root}/train/happy/me.png`);
      return root;
    },
    code: 0,
    message: /symbolic link loop/,
    added: 1,
  },
  {
    name: "2 MB file refused unread",
    make: async (d) =>
      folder(`${d}/f`, {
        "train/happy/a.png": await faceImage(205),
        "train/happy/huge.png": Buffer.alloc(2 * 1024 * 1024, 1),
      }),
    code: 0,
    message: /image-size: 1[\s\S]*not read/,
    added: 1,
  },
  {
    name: "20000x20000 PNG",
    make: async (d) =>
      folder(`${d}/f`, { "train/happy/a.png": await faceImage(206), "train/happy/wide.png": hugePngHeader() }),
    code: 0,
    message: /20000x20000/,
    added: 1,
  },
  {
    name: "garbage .png",
    make: async (d) =>
      folder(`${d}/f`, { "train/happy/a.png": await faceImage(207), "train/happy/b.png": "not a png" }),
    code: 0,
    message: /image-decode: 1/,
    added: 1,
  },
  {
    name: "unknown emotion folder",
    make: async (d) =>
      folder(`${d}/f`, { "train/happy/a.png": await faceImage(208), "train/smug/b.png": await faceImage(209) }),
    code: 0,
    message: /unknown emotion folder "smug"/,
    added: 1,
  },
  {
    name: "zip bomb entry (64 MB of zeros, deflated)",
    make: async (d) =>
      writeFixture(
        `${d}/f.zip`,
        buildZip([
          { name: "train/happy/a.png", data: await faceImage(210) },
          { name: "train/happy/bomb.png", data: Buffer.alloc(64 * 1024 * 1024), deflate: true },
        ]),
      ),
    code: 0,
    message: /image-size: 1[\s\S]*67108864 bytes/,
    added: 1,
  },
  {
    name: "zip entry that is not an image",
    make: async (d) =>
      writeFixture(
        `${d}/f.zip`,
        buildZip([
          { name: "train/happy/a.png", data: await faceImage(211) },
          { name: "train/happy/b.txt", data: "x" },
        ]),
      ),
    code: 0,
    message: /not-an-image: 1/,
    added: 1,
  },
];

describe("npm run import: a corpus of bad inputs", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: ObjectStore;
  let tmp: Awaited<ReturnType<typeof makeTempDir>>;

  const count = async (table: string) =>
    (await queryRows<{ n: number }>(database.db, sql.raw(`select count(*)::int as n from ${table}`)))[0].n;

  async function expectConsistent(): Promise<void> {
    const [broken] = await queryRows<{ orphans: number; miscounted: number; running: number }>(
      database.db,
      sql`select
        (select count(*)::int from images i where not exists (select 1 from image_sources s where s.image_id = i.id)) as orphans,
        (select count(*)::int from images i where i.source_count <> (select count(*) from image_sources s where s.image_id = i.id)
          and not exists (select 1 from image_sources s where s.image_id = i.id and s.source = 'upload')) as miscounted,
        (select count(*)::int from import_jobs where status = 'running') as running`,
    );
    expect(broken).toEqual({ orphans: 0, miscounted: 0, running: 0 });
    const all = await queryRows<{ storage_key: string; storage_offset: number; content_hash: string }>(
      database.db,
      sql`select storage_key, storage_offset, content_hash from images`,
    );
    for (const image of all)
      expect(
        (await readFace(store, { storageKey: image.storage_key, storageOffset: image.storage_offset } as never)).length,
      ).toBe(2304);
  }

  beforeAll(async () => {
    [database, store, tmp] = await Promise.all([createTestDatabase(), createTestStore(), makeTempDir()]);
    const first = await writeFixture(tmp.file("base/fer2013.csv"), base);
    const out: string[] = [];
    const code = await runImportCommand(
      [first],
      { db: database.db, store, batchSize: 4 },
      { log: (l) => out.push(l), error: (l) => out.push(l) },
    );
    expect(code, out.join("\n")).toBe(0);
  });
  afterAll(async () => {
    await database?.drop();
    await tmp?.cleanup();
  });

  it("has at least 30 cases", () => expect(cases.length).toBeGreaterThanOrEqual(30));

  it.each(cases.map((c, i) => [i, c.name, c] as const))("case %i: %s", async (i, _name, c) => {
    const input = await c.make(tmp.file(`case-${i}`));
    const [images, votes] = [await count("images"), await count("vote_counts")];
    const out: string[] = [];
    const code = await runImportCommand(
      [input],
      { db: database.db, store, batchSize: 4 },
      {
        log: (line) => out.push(line),
        error: (line) => out.push(line),
      },
    );
    const text = out.join("\n");
    expect(code, text).toBe(c.code);
    expect(text).toMatch(c.message);
    expect(text).not.toMatch(/insert into|select .* from|params:/i); // no SQL in what a person reads
    expect(await count("images"), text).toBe(images + (c.added ?? 0));
    expect(await count("vote_counts"), text).toBe(votes + (c.votes ?? 0));
    await expectConsistent();
  });
});
