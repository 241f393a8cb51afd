import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emotionName } from "../emotions";
import { openDataset } from "./open-dataset";
import { buildZip } from "./testing/stored-zip";
import { faceImage, facePixels, makeTempDir, readAll, readUntilError, writeFixture } from "./testing/fixtures";
import type { DatasetRecord } from "./types";

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let files: Record<string, Buffer>;

beforeAll(async () => {
  temp = await makeTempDir();
  const png = await faceImage(1);
  files = {
    "train/neutral/Training_1.png": png,
    "train/angry/Training_2.jpg": await faceImage(2, { format: "jpeg" }),
    "test/happy/PublicTest_3.png": await faceImage(3),
    "test/happy/PrivateTest_4.png": await faceImage(4, { colour: "rgb-grey" }),
    "test/sad/5.png": await faceImage(5),
    "train/sad/big.png": await faceImage(6, { size: 64 }),
    "train/sad/small.png": await faceImage(6, { size: 24 }),
    "train/sad/colour.png": await faceImage(7, { colour: "rgb" }),
    "train/sad/see-through.png": await faceImage(8, { alpha: true }),
    "train/sad/garbage.jpg": Buffer.from("this is not a JPEG"),
    "train/sad/notes.txt": Buffer.from("hello"),
    "train/foo/x.png": png,
    "train/loose.png": png,
    "validation/sad/x.png": png,
    ".DS_Store": Buffer.from("junk"),
  };
  for (const [path, data] of Object.entries(files)) await writeFixture(temp.file(`flat/${path}`), data);
});
afterAll(() => temp.cleanup());

/** Sorted by path, as the reader yields them. */
const expectedFor = (prefix: string) => [
  { kind: "folder", path: `${prefix}test/happy/PrivateTest_4.png`, label: 3, split: "test", pixels: facePixels(4) },
  { kind: "folder", path: `${prefix}test/happy/PublicTest_3.png`, label: 3, split: "val", pixels: facePixels(3) },
  { kind: "folder", path: `${prefix}test/sad/5.png`, label: 4, split: "test", pixels: facePixels(5) },
  { kind: "skip", where: `${prefix}train/angry/Training_2.jpg` }, // placeholder: JPEG is lossy, checked separately
  { kind: "skip", where: `${prefix}train/foo/x.png`, code: "folder", reason: 'unknown emotion folder "foo"' },
  {
    kind: "skip",
    where: `${prefix}train/loose.png`,
    code: "folder",
    reason: "expected train/<emotion>/<image> or test/<emotion>/<image>",
  },
  { kind: "folder", path: `${prefix}train/neutral/Training_1.png`, label: 6, split: "train", pixels: facePixels(1) },
  { kind: "skip", where: `${prefix}train/sad/big.png`, code: "image-size", reason: "image is 64x64, expected 48x48" },
  {
    kind: "skip",
    where: `${prefix}train/sad/colour.png`,
    code: "image-colour",
    reason: "image is in colour, expected grayscale",
  },
  { kind: "skip", where: `${prefix}train/sad/garbage.jpg`, code: "image-decode" },
  { kind: "skip", where: `${prefix}train/sad/notes.txt`, code: "not-an-image", reason: "not a .jpg or .png file" },
  {
    kind: "skip",
    where: `${prefix}train/sad/see-through.png`,
    code: "image-colour",
    reason: "image has transparent pixels, expected an opaque grayscale image",
  },
  { kind: "skip", where: `${prefix}train/sad/small.png`, code: "image-size", reason: "image is 24x24, expected 48x48" },
  {
    kind: "skip",
    where: `${prefix}validation/sad/x.png`,
    code: "folder",
    reason: 'unknown split folder "validation" (expected train or test)',
  },
];

function checkRecords(records: DatasetRecord[], prefix: string) {
  const expected = expectedFor(prefix);
  expect(records).toHaveLength(expected.length);
  records.forEach((record, i) => {
    if (i === 3) {
      // A JPEG round trip changes pixels slightly; the label and split are exact.
      expect(record).toMatchObject({
        kind: "folder",
        path: `${prefix}train/angry/Training_2.jpg`,
        label: 0,
        split: "train",
      });
      const pixels = (record as { pixels: Uint8Array }).pixels;
      const worst = Math.max(...Array.from(pixels, (v, j) => Math.abs(v - facePixels(2)[j])));
      expect(worst).toBeLessThan(40);
    } else {
      expect(record).toMatchObject(expected[i]);
    }
  });
  const garbage = records.find((r) => r.kind === "skip" && r.where.endsWith("garbage.jpg"));
  expect(garbage?.kind === "skip" && garbage.reason).toMatch(/^not a decodable image \(.+\)$/);
}

describe("msambare folder records", () => {
  it("reads a directory: canonical labels, prefix-based splits, grey RGB accepted, bad files skipped", async () => {
    const records = await readAll(temp.file("flat"), 3);
    checkRecords(records, "");
    const neutral = records.find((r) => r.kind === "folder" && r.path.endsWith("Training_1.png"));
    expect(neutral?.kind === "folder" && emotionName(neutral.label)).toBe("neutral");
  });

  it("reads the same from a zip nested one folder down, with progress up to the zip's size", async () => {
    const zip = buildZip(
      Object.entries(files).map(([path, data], i) => ({ name: `archive/${path}`, data, deflate: i % 2 === 0 })),
    );
    const path = await writeFixture(temp.file("msambare.zip"), zip);
    const reader = await openDataset(path, { concurrency: 2 });
    expect(reader.format).toMatchObject({ content: "folder", container: "zip", root: "archive/" });
    const records: DatasetRecord[] = [];
    for await (const record of reader) records.push(record);
    checkRecords(records, "archive/");
    expect(reader.progress()).toEqual({ bytesRead: zip.length, totalBytes: zip.length });
  });

  it("skips images outside the folder that holds train/ and test/", async () => {
    await writeFixture(temp.file("nested/archive/train/sad/a.png"), files["test/sad/5.png"]);
    await writeFixture(temp.file("nested/other/b.png"), files["test/sad/5.png"]);
    const records = await readAll(temp.file("nested"));
    expect(records).toMatchObject([
      { kind: "folder", path: "archive/train/sad/a.png", label: 4, split: "train" },
      { kind: "skip", where: "other/b.png", code: "folder" },
    ]);
  });

  it("skips a damaged zip entry with its path and the reason, keeping the records around it", async () => {
    const good = await faceImage(9);
    const big = Buffer.concat([good, Buffer.alloc(20_000, 7)]); // compressible tail, so damage lands in deflate data
    const zip = buildZip([
      { name: "train/sad/a.png", data: good },
      { name: "train/sad/b.png", data: big, deflate: true },
    ]);
    const offset = zip.indexOf("train/sad/b.png") + "train/sad/b.png".length;
    zip.fill(0xff, offset + 10, offset + 40);
    const { records, error } = await readUntilError(await writeFixture(temp.file("damaged.zip"), zip));
    expect(error).toBeNull();
    expect(records).toMatchObject([
      { kind: "folder", path: "train/sad/a.png" },
      { kind: "skip", where: "train/sad/b.png", code: "unreadable" },
    ]);
    const skip = records[1];
    expect(skip.kind === "skip" && skip.reason).toMatch(/^damaged\.zip is corrupt: .*while reading train\/sad\/b\.png/);
  });
});

describe("closing a folder reader", () => {
  it("frees the zip whether or not iteration started, and twice is harmless", async () => {
    const zip = buildZip([{ name: "train/sad/a.png", data: files["test/sad/5.png"] }]);
    const path = await writeFixture(temp.file("close.zip"), zip);
    const unread = await openDataset(path);
    await unread.close();
    await unread.close();
    const partly = await openDataset(path);
    for await (const record of partly) {
      expect(record.kind).toBe("folder");
      break;
    }
    await partly.close();
  });
});
