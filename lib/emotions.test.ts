import { describe, expect, it } from "vitest";
import {
  EMOTIONS,
  FERPLUS_COLUMNS,
  ferPlusVotesToCanonical,
  fromFer2013Label,
  fromFolderIndex,
  fromFolderName,
  reorderToCanonical,
  toFerPlusColumnIndex,
  toFolderIndex,
  NOT_A_FACE,
  FOLDER_ORDER,
  type EmotionIndex,
} from "./emotions";

describe("class orders", () => {
  it("the canonical order is FER-2013's", () => {
    expect(EMOTIONS).toEqual(["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]);
    expect(fromFer2013Label(4)).toBe(4); // Sad
    expect(fromFer2013Label(7)).toBeNull();
    expect(fromFer2013Label(-1)).toBeNull();
    expect(fromFer2013Label(2.5)).toBeNull();
  });

  it("folder names and the alphabetical order convert both ways", () => {
    expect(fromFolderName("neutral")).toBe(6);
    expect(fromFolderName(" Sad ")).toBe(4);
    expect(fromFolderName("contempt")).toBeNull();
    // Alphabetical index 4 is neutral, canonical 6; canonical 4 (sad) is alphabetical 5.
    expect(fromFolderIndex(4)).toBe(6);
    expect(toFolderIndex(4)).toBe(5);
    for (let i = 0; i < 7; i++) expect(fromFolderIndex(toFolderIndex(i as EmotionIndex))).toBe(i);
    expect(fromFolderIndex(7)).toBeNull();
  });

  it("FER+ votes map to canonical counts, dropping contempt, unknown and not-a-face", () => {
    const votes = FERPLUS_COLUMNS.map((_, i) => i + 1); // neutral 1, happiness 2, ..., NF 10
    expect(ferPlusVotesToCanonical(votes)).toEqual([5, 6, 7, 2, 4, 3, 1]);
  });

  it("a seed model's alphabetical softmax reorders into canonical order", () => {
    const alphabetical = FOLDER_ORDER.map((name) => name);
    expect(reorderToCanonical(alphabetical, FOLDER_ORDER)).toEqual([...EMOTIONS]);
    expect(() => reorderToCanonical([1, 2], FOLDER_ORDER)).toThrow(/expected 7/);
  });

  it("canonical classes and not-a-face map to their FER+ columns", () => {
    expect(FERPLUS_COLUMNS[toFerPlusColumnIndex(3)]).toBe("happiness");
    expect(FERPLUS_COLUMNS[toFerPlusColumnIndex(0)]).toBe("anger");
    expect(FERPLUS_COLUMNS[toFerPlusColumnIndex(6)]).toBe("neutral");
    expect(FERPLUS_COLUMNS[toFerPlusColumnIndex(NOT_A_FACE)]).toBe("NF");
    for (let label = 0; label < 7; label++) {
      const votes = new Array<number>(10).fill(0);
      votes[toFerPlusColumnIndex(label)] = 1;
      expect(ferPlusVotesToCanonical(votes)[label]).toBe(1);
    }
  });
});

describe("outside models' class orders", () => {
  it("reads named orders and lists of seven names, and refuses anything else", async () => {
    const { parseClassOrder, reorderRowsToCanonical, FOLDER_ORDER, EMOTIONS } = await import("./emotions");
    expect(parseClassOrder("alphabetical")).toEqual(FOLDER_ORDER);
    expect(parseClassOrder(" FER2013 ")).toEqual(EMOTIONS);
    expect(parseClassOrder("neutral,happiness,surprise,sadness,anger,disgust,fear")).toEqual([
      "neutral", "happy", "surprise", "sad", "angry", "disgust", "fear",
    ]);
    expect(parseClassOrder("happy,happy,sad,angry,fear,disgust,neutral")).toBeNull();
    expect(parseClassOrder("happy,sad")).toBeNull();
    expect(parseClassOrder("contempt,happy,sad,angry,fear,disgust,neutral")).toBeNull();
    // Alphabetical row [angry, disgust, fear, happy, neutral, sad, surprise] = [0, .1, .2, .3, .4, .5, .6]
    const canonical = reorderRowsToCanonical(Float32Array.from([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6]), FOLDER_ORDER);
    expect(Array.from(canonical)).toEqual(Array.from(Float32Array.from([0, 0.1, 0.2, 0.3, 0.5, 0.6, 0.4])));
  });
});
