import type { FaceDawidSkeneOptions } from "./face-dawid-skene";

/**
 * How the stored Dawid-Skene consensus is fitted (also what bench:curation measures). The pooled FER+ crowd's ten
 * votes count as ten observations of one annotator; confusion rows start from a "usually right" pseudo-count so a
 * person with a handful of labels is not read as noise.
 */
export const STORED_DAWID_SKENE: FaceDawidSkeneOptions = { smoothing: 0.01, diagonal: 1, maxIterations: 100 };
