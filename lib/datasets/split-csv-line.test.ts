import { describe, expect, it } from "vitest";
import { splitCsvLine } from "./split-csv-line";

const split = (line: string) => splitCsvLine(Buffer.from(line)).map((field) => field.toString());

describe("splitCsvLine", () => {
  it("splits unquoted fields, keeping empty ones", () => {
    expect(split("0,1 2 3,Training")).toEqual(["0", "1 2 3", "Training"]);
    expect(split("Training,,0,1")).toEqual(["Training", "", "0", "1"]);
    expect(split("")).toEqual([""]);
    expect(split("a,")).toEqual(["a", ""]);
  });

  it("unquotes quoted fields, including commas and doubled quotes inside", () => {
    expect(split('0,"1 2 3",Training')).toEqual(["0", "1 2 3", "Training"]);
    expect(split('"a,b","say ""hi""",c')).toEqual(["a,b", 'say "hi"', "c"]);
    expect(split('emotion, "pixels", Usage')).toEqual(["emotion", "pixels", " Usage"]);
  });
});
