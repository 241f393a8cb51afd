import { describe, expect, it } from "vitest";
import { chiSquare1Survival, mcnemarTest } from "./mcnemar-test";

describe("McNemar's test", () => {
  it("matches a worked example by hand: 2 against 8 discordant items", () => {
    // Exact: 2 * (C(10,0) + C(10,1) + C(10,2)) / 2^10 = 2 * 56 / 1024 = 0.109375.
    // Corrected: (|2 - 8| - 1)^2 / 10 = 2.5, and P(chi2_1 > 2.5) = 0.113846 (tables: 0.1138).
    const result = mcnemarTest(2, 8);
    expect(result.exactP).toBeCloseTo(0.109375, 10);
    expect(result.chiSquared).toBe(2.5);
    expect(result.correctedP).toBeCloseTo(0.113846, 5);
    expect(mcnemarTest(8, 2)).toEqual({ ...result, b: 8, c: 2 });
  });

  it("matches the textbook example of 121 against 59 (Wikipedia, McNemar's test)", () => {
    // (|121 - 59| - 1)^2 / 180 = 3721 / 180 = 20.672; p = 5.45e-6.
    const result = mcnemarTest(121, 59);
    expect(result.chiSquared).toBeCloseTo(20.6722, 4);
    expect(result.correctedP).toBeCloseTo(5.45e-6, 7);
    expect(result.exactP).toBeLessThan(1e-5);
    expect(result.exactP).toBeGreaterThan(1e-6);
  });

  it("says no difference when the discordant items split evenly or there are none", () => {
    expect(mcnemarTest(0, 0)).toMatchObject({ exactP: 1, correctedP: 1 });
    expect(mcnemarTest(5, 5).exactP).toBe(1);
    expect(mcnemarTest(5, 6).chiSquared).toBe(0);
    expect(chiSquare1Survival(3.841459)).toBeCloseTo(0.05, 6);
  });

  it("stays finite for thousands of discordant items and refuses nonsense", () => {
    const big = mcnemarTest(2000, 2150);
    expect(big.exactP).toBeGreaterThan(0.01);
    expect(big.exactP).toBeLessThan(0.1);
    expect(() => mcnemarTest(-1, 3)).toThrow(/discordant/);
    expect(() => mcnemarTest(1.5, 3)).toThrow(/discordant/);
  });
});
