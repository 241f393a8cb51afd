import { describe, expect, it } from "vitest";
import { findMsambareRoot, readImagePath } from "./msambare-path";

describe("readImagePath", () => {
  it("maps the alphabetical folder names to canonical indices", () => {
    expect(readImagePath("train/neutral/x.jpg")).toEqual({ label: 6, split: "train" });
    expect(readImagePath("train/sad/x.jpg")).toEqual({ label: 4, split: "train" });
    expect(readImagePath("test/Angry/x.PNG")).toEqual({ label: 0, split: "test" });
  });

  it("takes the split from a FER-2013 file-name prefix before the folder", () => {
    expect(readImagePath("test/happy/PublicTest_123.jpg")).toEqual({ label: 3, split: "val" });
    expect(readImagePath("test/happy/PrivateTest_123.jpg")).toEqual({ label: 3, split: "test" });
    expect(readImagePath("train/happy/Training_123.jpg")).toEqual({ label: 3, split: "train" });
    expect(readImagePath("train/happy/PublicTest_9.jpg")).toEqual({ label: 3, split: "val" });
  });

  it("explains paths outside the layout", () => {
    expect(readImagePath("train/foo/x.jpg")).toEqual({ code: "folder", reason: 'unknown emotion folder "foo"' });
    expect(readImagePath("validation/sad/x.jpg")).toMatchObject({
      code: "folder",
      reason: expect.stringContaining('"validation"'),
    });
    expect(readImagePath("train/x.jpg")).toMatchObject({ code: "folder" });
    expect(readImagePath("train/sad/notes.txt")).toEqual({ code: "not-an-image", reason: "not a .jpg or .png file" });
  });
});

describe("findMsambareRoot", () => {
  it("finds the layout at the top or one folder down", () => {
    expect(findMsambareRoot(["README", "train/sad/a.jpg"], "x")).toBe("");
    expect(findMsambareRoot(["archive/test/happy/a.jpg", "archive/x.txt"], "x")).toBe("archive/");
    expect(findMsambareRoot(["a/b/train/sad/a.jpg", "train/a.jpg"], "x")).toBeNull();
  });

  it("refuses two candidate folders", () => {
    expect(() => findMsambareRoot(["a/train/sad/1.jpg", "b/test/sad/2.jpg"], "x.zip")).toThrow(
      /several folders \(a\/, b\/\)/,
    );
  });
});
