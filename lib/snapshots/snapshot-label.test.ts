import { describe, expect, it } from "vitest";
import { NOT_A_FACE } from "../emotions";
import { snapshotLabel } from "./snapshot-label";

describe("snapshotLabel", () => {
  const crowdHappy = [0, 0, 0, 8, 0, 0, 2];
  it("original keeps the source's label and says how much of the evidence agrees", () => {
    expect(snapshotLabel({ original: [6], people: [], crowd: crowdHappy }, "original")).toEqual({
      label: 6,
      confidence: 3 / 11,
      target: null,
    });
    // Only the source spoke: no agreement figure.
    expect(snapshotLabel({ original: [2], people: [], crowd: null }, "original")?.confidence).toBeNull();
  });

  it("majority follows the votes; soft gives the distribution", () => {
    expect(snapshotLabel({ original: [6], people: [3], crowd: crowdHappy }, "majority")).toMatchObject({ label: 3, confidence: 9 / 12 });
    const soft = snapshotLabel({ original: [6], people: [], crowd: crowdHappy }, "soft")!;
    expect(soft.label).toBe(3);
    expect(soft.target?.[3]).toBeCloseTo(8 / 11);
  });

  it("people's not-a-face majority leaves the image out unless not-a-face items are wanted", () => {
    const evidence = { original: [4], people: [NOT_A_FACE, NOT_A_FACE], crowd: null };
    expect(snapshotLabel(evidence, "majority")).toBeNull();
    expect(snapshotLabel(evidence, "majority", true)?.label).toBe(4);
  });
});
