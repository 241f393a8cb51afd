import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeFormat } from "./describe-format";
import { detectFormat } from "./detect-format";
import { buildZip } from "./testing/stored-zip";
import {
  buildTar,
  faceImage,
  fer2013Csv,
  fer2013Line,
  ferPlusCsv,
  gzip,
  makeTempDir,
  writeFixture,
} from "./testing/fixtures";

let temp: Awaited<ReturnType<typeof makeTempDir>>;
const csv = fer2013Csv([fer2013Line(0, "Training", 1)]);
const votes = ferPlusCsv(["Training,fer0000000.png,4,0,0,1,3,2,0,0,0,0"]);

beforeAll(async () => {
  temp = await makeTempDir();
});
afterAll(() => temp.cleanup());

describe("detectFormat", () => {
  it("recognises plain and gzip'd CSVs by content, whatever their names", async () => {
    expect(await detectFormat(await writeFixture(temp.file("a.csv"), csv))).toMatchObject({
      content: "fer2013",
      container: "csv",
    });
    expect(await detectFormat(await writeFixture(temp.file("a.csv.gz"), gzip(csv)))).toMatchObject({
      content: "fer2013",
      container: "gzip",
    });
    expect(await detectFormat(await writeFixture(temp.file("votes.txt"), votes))).toMatchObject({
      content: "ferplus",
      container: "csv",
    });
    expect(await detectFormat(await writeFixture(temp.file("misnamed.zip"), gzip(votes)))).toMatchObject({
      content: "ferplus",
      container: "gzip",
    });
  });

  it("accepts a byte-order mark, CRLF and reordered or padded header columns", async () => {
    const odd = "\uFEFFUsage, pixels ,emotion\r\nTraining,1 2,0\r\n";
    expect(await detectFormat(await writeFixture(temp.file("odd.csv"), odd))).toMatchObject({ content: "fer2013" });
  });

  it("finds the CSV inside a tar.gz, a plain tar and a zip", async () => {
    const tarGz = await buildTar({ "fer2013/README": "read me", "fer2013/fer2013.csv": csv });
    const path = await writeFixture(temp.file("fer2013.tar.gz"), tarGz);
    const format = await detectFormat(path);
    expect(format).toEqual({ content: "fer2013", container: "tar.gz", path, entry: "fer2013/fer2013.csv" });
    expect(describeFormat(format)).toBe("FER-2013 CSV in a tar.gz (fer2013/fer2013.csv)");
    const tar = await writeFixture(temp.file("x.tar"), await buildTar({ "fer2013new.csv": votes }, true));
    expect(await detectFormat(tar)).toMatchObject({ content: "ferplus", container: "tar", entry: "fer2013new.csv" });
    const zip = buildZip([
      { name: "__MACOSX/._fer2013.csv", data: "junk" },
      { name: "notes.csv", data: "a,b\n1,2\n" },
      { name: "fer2013.csv", data: csv, deflate: true },
    ]);
    expect(await detectFormat(await writeFixture(temp.file("fer.zip"), zip))).toMatchObject({
      content: "fer2013",
      container: "zip",
      entry: "fer2013.csv",
    });
  });

  it("recognises msambare folders and zips, at the top or one folder down", async () => {
    const image = await faceImage(1);
    await writeFixture(temp.file("flat/train/angry/Training_1.png"), image);
    expect(await detectFormat(temp.file("flat"))).toMatchObject({
      content: "folder",
      container: "directory",
      root: "",
    });
    await writeFixture(temp.file("nested/archive/test/happy/PublicTest_1.png"), image);
    expect(await detectFormat(temp.file("nested"))).toMatchObject({ content: "folder", root: "archive/" });
    const zip = await writeFixture(temp.file("imgs.zip"), buildZip([{ name: "archive/train/sad/a.png", data: image }]));
    expect(await detectFormat(zip)).toMatchObject({ content: "folder", container: "zip", root: "archive/" });
  });

  it("says clearly what is wrong with anything else", async () => {
    const cases: Array<[string, Buffer | string, RegExp]> = [
      ["empty.csv", "", /empty\.csv is empty/],
      ["noheader.csv", `${fer2013Line(0, "Training", 1)}\n`, /has no header line \(its first line is already data\)/],
      ["kaggle-train.csv", "emotion,pixels\n0,1 2 3\n", /pixels but no Usage column/],
      ["other.csv", "a,b,c\n1,2,3\n", /unrecognised header "a,b,c": expected "emotion,pixels,Usage"/],
      ["photo.png", await faceImage(1), /photo\.png is a PNG image, not a dataset/],
      ["blob.bin", Buffer.from([1, 2, 0, 4, 5]), /not a CSV, zip, tar or gzip file \(it starts with bytes 01020004\)/],
      ["bad.gz", Buffer.from([0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9]), /starts like gzip but cannot be decompressed/],
      [
        "cut.zip",
        buildZip([{ name: "fer2013.csv", data: csv }]).subarray(0, 100),
        /cut\.zip is not a readable zip file/,
      ],
      ["empty.zip", buildZip([]), /empty\.zip is an empty zip/],
      ["nothing.zip", buildZip([{ name: "data/fer2013.tar.gz", data: "x" }]), /holds no dataset.*extract that first/],
      [
        "nothing.tar.gz",
        await buildTar({ "readme.txt": "hi" }),
        /holds no FER-2013 or FER\+ CSV \(it holds readme\.txt\)/,
      ],
    ];
    for (const [name, data, message] of cases) {
      await expect(detectFormat(await writeFixture(temp.file(name), data)), name).rejects.toThrow(message);
    }
    await expect(detectFormat(temp.file("missing.csv"))).rejects.toThrow(/missing\.csv does not exist/);
    await writeFixture(temp.file("plain/readme.txt"), "hello");
    await expect(detectFormat(temp.file("plain"))).rejects.toThrow(
      /plain is a folder without the train\|test\/<emotion>\/ layout/,
    );
  });

  it("refuses a zip that holds two datasets", async () => {
    const both = buildZip([
      { name: "fer2013.csv", data: csv },
      { name: "fer2013new.csv", data: votes },
    ]);
    await expect(detectFormat(await writeFixture(temp.file("both.zip"), both))).rejects.toThrow(
      /several dataset CSVs \(fer2013\.csv, fer2013new\.csv\)/,
    );
  });
});
