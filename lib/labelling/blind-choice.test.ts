import { describe, expect, it } from "vitest";
import { isBlindItem } from "./blind-choice";

describe("isBlindItem", () => {
  const annotator = "0b6f3c52-8a1d-4e7f-9c2b-3d4e5f6a7b8c";

  it("serves about the configured share blind, the same way every time", () => {
    for (const share of [0.1, 0.25, 0.5]) {
      const blind = Array.from({ length: 4000 }, (_, i) => isBlindItem(annotator, i + 1, share));
      const observed = blind.filter(Boolean).length / blind.length;
      expect(Math.abs(observed - share)).toBeLessThan(0.03);
      expect(Array.from({ length: 4000 }, (_, i) => isBlindItem(annotator, i + 1, share))).toEqual(blind);
    }
  });

  it("never at share 0, always at share 1, and nested: blind at a share stays blind at any larger one", () => {
    for (let id = 1; id <= 500; id++) {
      expect(isBlindItem(annotator, id, 0)).toBe(false);
      expect(isBlindItem(annotator, id, 1)).toBe(true);
      if (isBlindItem(annotator, id, 0.2)) expect(isBlindItem(annotator, id, 0.3)).toBe(true);
    }
  });

  it("differs between annotators for the same images", () => {
    const other = "f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9";
    const mine = Array.from({ length: 400 }, (_, i) => isBlindItem(annotator, i + 1, 0.5));
    const theirs = Array.from({ length: 400 }, (_, i) => isBlindItem(other, i + 1, 0.5));
    expect(mine).not.toEqual(theirs);
  });
});
