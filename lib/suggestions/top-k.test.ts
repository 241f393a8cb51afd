import { describe, expect, it } from "vitest";
import { topK } from "./top-k";

describe("topK", () => {
  it("ranks canonical classes by probability", () => {
    const probs = [0.05, 0.01, 0.04, 0.6, 0.2, 0.07, 0.03];
    expect(topK(probs, 3)).toEqual([
      { label: 3, probability: 0.6 },
      { label: 4, probability: 0.2 },
      { label: 5, probability: 0.07 },
    ]);
  });

  it("keeps canonical order among equal probabilities and clamps k", () => {
    const uniform = new Float32Array(7).fill(1 / 7);
    expect(topK(uniform, 3).map((c) => c.label)).toEqual([0, 1, 2]);
    expect(topK(uniform, 10)).toHaveLength(7);
    expect(topK(uniform, 0)).toEqual([]);
  });
});
