import { type DataFingerprint, sameFingerprint } from "../evaluation/data-fingerprint";

/**
 * Whether a newly published version becomes the serving one. Val accuracy is compared only between versions that were
 * selected on the same faces with the same labels (same label policy and val fingerprint); otherwise nothing is
 * promoted automatically and the reason says why. A version must also clear floors well above chance: more than the
 * majority-class rate of its val set, and a macro-F1 floor. The demo model is never the bar: anything that clears the
 * floors replaces it. Test results never take part.
 */
export type ServeMode = "always" | "if-better" | "never";

export interface PromotionCandidate {
  labelPolicy: string | null;
  valFingerprint: DataFingerprint | null;
  val: { accuracy: number; macroF1: number; majorityClassRate: number } | null;
}

export interface ServingVersion {
  id: number;
  demo: boolean;
  labelPolicy: string | null;
  valFingerprint: DataFingerprint | null;
  valAccuracy: number | null;
}

export interface PromotionDecision {
  serve: boolean;
  reason: string;
  /** The serving version it was compared with, if any. */
  comparedWith: number | null;
}

export interface PromotionFloors {
  /** Val macro-F1 a version needs to serve automatically. */
  minMacroF1: number;
}

export const DEFAULT_PROMOTION_FLOORS: PromotionFloors = { minMacroF1: 0.25 };

const pct = (x: number) => `${(100 * x).toFixed(2)} %`;

export function decidePromotion(
  mode: ServeMode,
  candidate: PromotionCandidate,
  current: ServingVersion | null,
  floors: PromotionFloors = DEFAULT_PROMOTION_FLOORS,
): PromotionDecision {
  const comparedWith = current?.id ?? null;
  if (mode === "always") return { serve: true, reason: "published with serve: always", comparedWith };
  if (mode === "never") return { serve: false, reason: "published with serve: never", comparedWith };
  const val = candidate.val;
  if (!val) return { serve: false, reason: "no val figures to judge it by", comparedWith };
  if (!(val.accuracy > val.majorityClassRate)) {
    return {
      serve: false,
      reason: `val accuracy ${pct(val.accuracy)} does not beat answering the majority class (${pct(val.majorityClassRate)})`,
      comparedWith,
    };
  }
  if (val.macroF1 < floors.minMacroF1) {
    return {
      serve: false,
      reason: `val macro-F1 ${val.macroF1.toFixed(3)} is below the floor of ${floors.minMacroF1.toFixed(2)}`,
      comparedWith,
    };
  }
  if (!current) return { serve: true, reason: "no version was serving; it clears the floors", comparedWith };
  if (current.demo) return { serve: true, reason: "replaces the demo model; it clears the floors", comparedWith };
  if (current.labelPolicy !== candidate.labelPolicy) {
    return {
      serve: false,
      reason: `not comparable with serving version ${current.id}: label policy ${candidate.labelPolicy} vs ${current.labelPolicy ?? "unknown"}; promote by hand if wanted`,
      comparedWith,
    };
  }
  if (!sameFingerprint(current.valFingerprint, candidate.valFingerprint)) {
    return {
      serve: false,
      reason: `not comparable with serving version ${current.id}: selected on a different val set (${candidate.valFingerprint?.count ?? "?"} vs ${current.valFingerprint?.count ?? "?"} faces, or other labels); promote by hand if wanted`,
      comparedWith,
    };
  }
  if (current.valAccuracy !== null && val.accuracy < current.valAccuracy) {
    return {
      serve: false,
      reason: `val accuracy ${pct(val.accuracy)} is below serving version ${current.id}'s ${pct(current.valAccuracy)} on the same val set`,
      comparedWith,
    };
  }
  return {
    serve: true,
    reason: `val accuracy ${pct(val.accuracy)} >= serving version ${current.id}'s ${current.valAccuracy === null ? "(none)" : pct(current.valAccuracy)} on the same val set and labels`,
    comparedWith,
  };
}
