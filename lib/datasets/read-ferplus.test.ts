import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ferPlusVotesToCanonical } from "../emotions";
import { ferPlusCsv, gzip, makeTempDir, readAll, writeFixture } from "./testing/fixtures";

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeAll(async () => {
  temp = await makeTempDir();
});
afterAll(() => temp.cleanup());

describe("FER+ vote records", () => {
  it("reads votes in FERPLUS_COLUMNS order, with an empty image name as null", async () => {
    const csv = ferPlusCsv([
      "Training,fer0000000.png,4,0,0,1,3,2,0,0,0,0",
      "PublicTest,,0,0,0,0,0,0,0,0,0,10",
      "PrivateTest,fer0032298.png,0,10,0,0,0,0,0,0,0,0",
    ]);
    const records = await readAll(await writeFixture(temp.file("fer2013new.csv.gz"), gzip(csv)));
    expect(records).toEqual([
      { kind: "ferplus", row: 0, split: "train", imageName: "fer0000000.png", votes: [4, 0, 0, 1, 3, 2, 0, 0, 0, 0] },
      { kind: "ferplus", row: 1, split: "val", imageName: null, votes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 10] },
      { kind: "ferplus", row: 2, split: "test", imageName: "fer0032298.png", votes: [0, 10, 0, 0, 0, 0, 0, 0, 0, 0] },
    ]);
    // neutral 4, sadness 1, anger 3, disgust 2 → canonical angry 3, disgust 2, sad 1, neutral 4
    expect(records[0].kind === "ferplus" && ferPlusVotesToCanonical(records[0].votes)).toEqual([3, 2, 0, 0, 1, 0, 4]);
  });

  it("maps columns by header name when the file orders them differently", async () => {
    const text =
      "Image name,Usage,NF,unknown,contempt,fear,disgust,anger,sadness,surprise,happiness,neutral\nfer1.png,Training,0,0,0,0,0,0,0,0,1,9\n";
    const [record] = await readAll(await writeFixture(temp.file("reordered.csv"), text));
    expect(record).toMatchObject({ imageName: "fer1.png", votes: [9, 1, 0, 0, 0, 0, 0, 0, 0, 0] });
  });

  it("skips rows with bad votes, unknown Usage or the wrong column count", async () => {
    const csv = ferPlusCsv([
      "Training,a.png,4,0,0,1,3,2,0,0,0,x",
      "Holdout,b.png,4,0,0,1,3,2,0,0,0,0",
      "Training,c.png,4,0,0,1,3,2,0,0,0",
      "Training,d.png,1,1,1,1,1,1,1,1,1,1",
    ]);
    const records = await readAll(await writeFixture(temp.file("bad-votes.csv"), csv));
    expect(records.map((r) => (r.kind === "skip" ? `${r.where}: ${r.reason}` : r.kind))).toEqual([
      'row 0: vote count for NF is "x", not a whole number',
      'row 1: unknown Usage "Holdout" (expected Training, PublicTest or PrivateTest)',
      "row 2: expected 12 columns, got 11",
      "ferplus",
    ]);
  });
});
