import { describe, expect, it } from "vitest";
import { NOT_A_FACE } from "../emotions";
import { resolveLabel } from "./label-policy";

describe("resolveLabel", () => {
  it("original: the source's label, the first source's on a tie, none without one", () => {
    expect(resolveLabel({ original: [3], people: [4, 4], votes: null }, "original")?.label).toBe(3);
    expect(resolveLabel({ original: [2, 5], people: [], votes: null }, "original")?.label).toBe(2);
    expect(resolveLabel({ original: [5, 2, 2], people: [], votes: null }, "original")?.label).toBe(2);
    expect(resolveLabel({ original: [], people: [4], votes: null }, "original")).toBeNull();
  });

  it("consensus: votes, annotators and the original each count once; ties keep the original", () => {
    const votes = [0, 0, 0, 6, 0, 0, 4];
    expect(resolveLabel({ original: [6], people: [], votes }, "consensus")?.label).toBe(3);
    expect(resolveLabel({ original: [6], people: [6], votes }, "consensus")?.label).toBe(6); // 6 vs 6: tie -> original
    expect(resolveLabel({ original: [0], people: [1, 1], votes: null }, "consensus")?.target).toEqual([0, 1, 0, 0, 0, 0, 0]);
  });

  it("consensus drops an image that annotators mostly judged not a face", () => {
    expect(resolveLabel({ original: [3], people: [NOT_A_FACE, NOT_A_FACE, 3], votes: null }, "consensus")).toBeNull();
    expect(resolveLabel({ original: [3], people: [NOT_A_FACE, 3, 3], votes: null }, "consensus")?.label).toBe(3);
  });

  it("soft: the votes as a distribution", () => {
    const resolved = resolveLabel({ original: [3], people: [], votes: [0, 0, 0, 5, 0, 0, 4] }, "soft");
    expect(resolved?.label).toBe(3);
    expect(resolved?.target).toEqual([0, 0, 0, 0.6, 0, 0, 0.4]);
  });
});
