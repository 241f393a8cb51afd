import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emotionName } from "../emotions";
import { openDataset } from "./open-dataset";
import { buildZip } from "./testing/stored-zip";
import {
  buildTar,
  facePixels,
  fer2013Csv,
  fer2013Line,
  gzip,
  makeTempDir,
  pixelText,
  readAll,
  readUntilError,
  writeFixture,
} from "./testing/fixtures";

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeAll(async () => {
  temp = await makeTempDir();
});
afterAll(() => temp.cleanup());

const goodCsv = fer2013Csv([
  fer2013Line(0, "Training", 0),
  fer2013Line(4, "PublicTest", 1),
  fer2013Line(6, "PrivateTest", 2),
]);
const expected = [
  { kind: "fer2013", row: 0, label: 0, split: "train", pixels: facePixels(0) },
  { kind: "fer2013", row: 1, label: 4, split: "val", pixels: facePixels(1) },
  { kind: "fer2013", row: 2, label: 6, split: "test", pixels: facePixels(2) },
];

/** Many rows, so that cutting the compressed file leaves some complete rows and some missing. */
const manyRows = (count: number) =>
  fer2013Csv(Array.from({ length: count }, (_, i) => fer2013Line(i % 7, "Training", i)));

describe("FER-2013 CSV records", () => {
  it("reads rows with canonical labels and Usage mapped to train/val/test", async () => {
    const records = await readAll(await writeFixture(temp.file("good.csv"), goodCsv));
    expect(records).toEqual(expected);
    expect(records[1].kind === "fer2013" && emotionName(records[1].label)).toBe("sad");
  });

  it("reads the same records from .gz, .tar.gz, .tar and .zip (stored and deflated)", async () => {
    const inputs: Array<[string, Buffer]> = [
      ["good.csv.gz", gzip(goodCsv)],
      ["fer2013.tar.gz", await buildTar({ "fer2013/README": "x", "fer2013/fer2013.csv": goodCsv })],
      ["fer2013.tar", await buildTar({ "fer2013.csv": goodCsv }, true)],
      ["stored.zip", buildZip([{ name: "fer2013.csv", data: goodCsv }])],
      ["deflated.zip", buildZip([{ name: "data/fer2013.csv", data: goodCsv, deflate: true }])],
    ];
    for (const [name, data] of inputs) {
      expect(await readAll(await writeFixture(temp.file(name), data)), name).toEqual(expected);
    }
  });

  it("turns each bad row into a skip with its row number and reason, and goes on", async () => {
    const tooManyValues = fer2013Line(0, "Training", 0).replace(",Training", " 7,Training");
    const bright = `0,${pixelText(0).replace(/^\d+/, "256")},Training`;
    const lines = [
      fer2013Line(3, "Training", 1), // row 0: fine
      fer2013Line(0, "Training", 0).replace(/ \d+,Training$/, ",Training"), // row 1: 2303 pixels
      fer2013Line(7, "Training", 0), // row 2
      fer2013Line("x", "Training", 0), // row 3
      bright, // row 4
      `0,${pixelText(0).replace(/ \d+ /, " ab ")},Training`, // row 5
      fer2013Line(0, "Validation", 0), // row 6
      `${fer2013Line(0, "Training", 0)},extra`, // row 7
      "", // blank lines are not rows
      tooManyValues, // row 8
      fer2013Line(5, "PrivateTest", 9), // row 9: fine
    ];
    const records = await readAll(await writeFixture(temp.file("bad-rows.csv"), fer2013Csv(lines)));
    expect(
      records.map((r) => (r.kind === "skip" ? [r.where, r.code, r.reason] : [r.kind, (r as { row: number }).row])),
    ).toEqual([
      ["fer2013", 0],
      ["row 1", "pixel-count", "expected 2304 pixels, got 2303"],
      ["row 2", "label", "emotion 7 is out of range 0..6"],
      ["row 3", "label", 'emotion "x" is not a whole number'],
      ["row 4", "pixel-value", "pixel 0 is 256, above 255"],
      ["row 5", "pixel-value", 'pixel 1 is "ab", not a whole number 0..255'],
      ["row 6", "usage", 'unknown Usage "Validation" (expected Training, PublicTest or PrivateTest)'],
      ["row 7", "columns", "expected 3 columns, got 4"],
      ["row 8", "pixel-count", "expected 2304 pixels, got 2305"],
      ["fer2013", 9],
    ]);
  });

  it("reads quoted fields and CRLF line ends", async () => {
    const text = `"emotion","pixels","Usage"\r\n3,"${pixelText(4)}","Training"\r\n`;
    const records = await readAll(await writeFixture(temp.file("quoted.csv"), text));
    expect(records).toEqual([{ kind: "fer2013", row: 0, label: 3, split: "train", pixels: facePixels(4) }]);
  });

  it("throws on a truncated gzip after yielding every complete row before the cut", async () => {
    const whole = gzip(manyRows(400));
    const path = await writeFixture(temp.file("fer2013.csv.gz"), whole.subarray(0, Math.floor(whole.length / 2)));
    const { records, error } = await readUntilError(path);
    expect(records.length).toBeGreaterThan(0);
    expect(records.length).toBeLessThan(400);
    expect(records.every((r, i) => r.kind === "fer2013" && r.row === i)).toBe(true);
    expect(error?.name).toBe("DatasetError");
    expect(error?.message).toBe(
      `fer2013.csv.gz ends early: the gzip stream is truncated after ${records.length} data rows (last complete row: row ${records.length - 1})`,
    );
  });

  it("throws on a truncated tar.gz and on corrupt gzip data", async () => {
    const tarGz = await buildTar({ "fer2013/fer2013.csv": manyRows(400) });
    const cut = await writeFixture(temp.file("cut.tar.gz"), tarGz.subarray(0, Math.floor(tarGz.length / 2)));
    const truncated = await readUntilError(cut);
    expect(truncated.error?.message).toMatch(
      /^cut\.tar\.gz \(fer2013\/fer2013\.csv\) ends early: the gzip stream is truncated after \d+ data rows/,
    );
    expect(truncated.records.length).toBeGreaterThan(0);

    const badChecksum = gzip(manyRows(40));
    badChecksum[badChecksum.length - 8] ^= 0xff; // the CRC-32 in the gzip trailer
    const { records, error } = await readUntilError(await writeFixture(temp.file("crc.csv.gz"), badChecksum));
    // zlib withholds the output of the block whose check failed, so fewer than all 40 rows may come first.
    expect(records.length).toBeGreaterThan(0);
    expect(error?.message).toBe(
      `crc.csv.gz is corrupt: compressed data is invalid (incorrect data check) after ${records.length} data rows (last complete row: row ${records.length - 1})`,
    );
  });

  it("throws when a zip entry's data is damaged", async () => {
    const zip = buildZip([{ name: "fer2013.csv", data: manyRows(50), deflate: true }]);
    zip.fill(0, 200, 400);
    const { error } = await readUntilError(await writeFixture(temp.file("damaged.zip"), zip));
    expect(error?.message).toMatch(
      /^damaged\.zip is corrupt: compressed data is invalid \(.+\) while reading fer2013\.csv/,
    );
  });

  it("reports progress in compressed bytes, reaching the file size at the end", async () => {
    const data = gzip(manyRows(300));
    const reader = await openDataset(await writeFixture(temp.file("progress.csv.gz"), data));
    expect(reader.progress()).toEqual({ bytesRead: 0, totalBytes: data.length });
    let rows = 0;
    for await (const _ of reader) {
      if (++rows === 10) expect(reader.progress().bytesRead).toBeGreaterThan(0);
    }
    expect(reader.progress()).toEqual({ bytesRead: data.length, totalBytes: data.length });
  });

  it("can be closed early", async () => {
    const reader = await openDataset(await writeFixture(temp.file("close.csv.gz"), gzip(manyRows(300))));
    for await (const record of reader) {
      expect(record.kind).toBe("fer2013");
      break;
    }
    await reader.close();
  });
});
