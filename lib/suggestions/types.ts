/** The tfjs backends suggestions can run on, fastest kind first. */
export const SUGGESTION_BACKENDS = ["webgpu", "webgl", "wasm", "cpu"] as const;
export type SuggestionBackend = (typeof SUGGESTION_BACKENDS)[number];

export function isSuggestionBackend(value: unknown): value is SuggestionBackend {
  return typeof value === "string" && (SUGGESTION_BACKENDS as readonly string[]).includes(value);
}

/** One class of a suggestion: canonical label 0..6 and the model's probability for it. */
export interface RankedClass {
  label: number;
  probability: number;
}

/** What the labelling page shows for a face: the serving version's top classes. */
export interface Suggestion {
  modelVersionId: number;
  /** Most probable first (ties in canonical order). */
  top: RankedClass[];
}
