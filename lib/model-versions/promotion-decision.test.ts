import { describe, expect, it } from "vitest";
import { decidePromotion, type PromotionCandidate, type ServingVersion } from "./promotion-decision";

const fingerprint = { count: 3580, sha256: "a".repeat(64) };
const candidate = (accuracy: number, overrides: Partial<PromotionCandidate> = {}): PromotionCandidate => ({
  labelPolicy: "original",
  valFingerprint: fingerprint,
  val: { accuracy, macroF1: accuracy - 0.05, majorityClassRate: 0.25 },
  ...overrides,
});
const serving = (valAccuracy: number, overrides: Partial<ServingVersion> = {}): ServingVersion => ({
  id: 7,
  demo: false,
  labelPolicy: "original",
  valFingerprint: fingerprint,
  valAccuracy,
  ...overrides,
});

describe("decidePromotion", () => {
  it("never serves a chance-level model, even when nothing or only the demo serves", () => {
    // Neutral for every face: 14.3 % on a val set whose majority class is 25 %.
    const neutralForAll = candidate(0.143, { val: { accuracy: 0.143, macroF1: 0.036, majorityClassRate: 0.25 } });
    for (const current of [null, serving(0, { demo: true, valAccuracy: null })]) {
      const decision = decidePromotion("if-better", neutralForAll, current);
      expect(decision.serve).toBe(false);
      expect(decision.reason).toMatch(/majority class/);
    }
    const lowF1 = candidate(0.3, { val: { accuracy: 0.3, macroF1: 0.1, majorityClassRate: 0.25 } });
    expect(decidePromotion("if-better", lowF1, null)).toMatchObject({ serve: false, reason: expect.stringMatching(/macro-F1/) });
  });

  it("replaces the demo model or an empty slot once the floors are cleared", () => {
    expect(decidePromotion("if-better", candidate(0.5), null).serve).toBe(true);
    expect(decidePromotion("if-better", candidate(0.5), serving(0.99, { demo: true })).serve).toBe(true);
  });

  it("refuses to compare unlike versions and says why", () => {
    const otherPolicy = decidePromotion("if-better", candidate(0.7, { labelPolicy: "consensus" }), serving(0.6));
    expect(otherPolicy).toMatchObject({ serve: false, comparedWith: 7 });
    expect(otherPolicy.reason).toMatch(/label policy consensus vs original/);
    const otherVal = decidePromotion("if-better", candidate(0.7, { valFingerprint: { count: 3908, sha256: "b".repeat(64) } }), serving(0.6));
    expect(otherVal.serve).toBe(false);
    expect(otherVal.reason).toMatch(/different val set/);
  });

  it("compares val accuracy on the same val set and labels", () => {
    expect(decidePromotion("if-better", candidate(0.61), serving(0.6)).serve).toBe(true);
    expect(decidePromotion("if-better", candidate(0.59), serving(0.6))).toMatchObject({ serve: false, reason: expect.stringMatching(/below/) });
    expect(decidePromotion("always", candidate(0.1), serving(0.6)).serve).toBe(true);
    expect(decidePromotion("never", candidate(0.9), null).serve).toBe(false);
  });
});
