import { describe, expect, it } from "vitest";
import { checkSourcePhoto } from "./check-source-photo";
import { formatBytes, uploadStorageKey } from "./upload-limits";

describe("checkSourcePhoto", () => {
  it("accepts JPEG, PNG and WebP photos up to 20 MB", () => {
    for (const type of ["image/jpeg", "image/png", "image/webp"])
      expect(checkSourcePhoto({ type, size: 5_000_000 })).toBeNull();
    expect(checkSourcePhoto({ type: "image/jpeg", size: 20 * 1024 * 1024 })).toBeNull();
  });

  it("says why it refuses a file", () => {
    expect(checkSourcePhoto({ type: "image/gif", size: 100 })).toBe(
      "unsupported type image/gif: use a JPEG, PNG or WebP photo",
    );
    expect(checkSourcePhoto({ type: "", size: 100 })).toMatch(/^unsupported type \(unknown\)/);
    expect(checkSourcePhoto({ type: "image/jpeg", size: 23 * 1024 * 1024 })).toBe(
      "too large (23 MB; photos up to 20 MB)",
    );
    expect(checkSourcePhoto({ type: "image/png", size: 0 })).toBe("empty file");
  });
});

describe("upload limits", () => {
  it("formats sizes and keys", () => {
    expect(formatBytes(812)).toBe("812 bytes");
    expect(formatBytes(65536)).toBe("64 KB");
    expect(formatBytes(70_000)).toBe("68.4 KB");
    expect(uploadStorageKey("u-1", "abc")).toBe("uploads/tmp/u-1/abc.png");
  });
});
