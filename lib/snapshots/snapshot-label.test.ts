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

  it("consensus methods take the stored consensus; soft and Dawid-Skene keep the distribution", () => {
    const consensus = { label: 3, confidence: 0.8, distribution: [0, 0, 0, 0.8, 0, 0, 0.2] };
    const evidence = { original: [6], people: [], crowd: crowdHappy, consensus };
    expect(snapshotLabel(evidence, "majority")).toEqual({ label: 3, confidence: 0.8, target: null });
    expect(snapshotLabel(evidence, "soft")?.target).toEqual(consensus.distribution);
    expect(snapshotLabel(evidence, "dawid-skene")?.label).toBe(3);
    expect(snapshotLabel({ ...evidence, consensus: { ...consensus, label: null } }, "majority")).toBeNull();
    expect(snapshotLabel({ ...evidence, consensus: null }, "majority")).toBeNull();
  });

  it("people's not-a-face majority leaves the image out unless not-a-face items are wanted", () => {
    const evidence = { original: [4], people: [NOT_A_FACE, NOT_A_FACE, 4], crowd: null };
    expect(snapshotLabel(evidence, "original")).toBeNull();
    expect(snapshotLabel(evidence, "original", true)).toMatchObject({ label: 4, confidence: 1 });
  });
});
