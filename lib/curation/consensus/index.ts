export { getConsensusLabels, type ConsensusLabel } from "./get-consensus-labels";
export { recomputeConsensus, type RecomputeSummary } from "./recompute-consensus";
export { refreshConsensus } from "./refresh-consensus";
export { loadFaceOpinions } from "./load-face-opinions";
export { majorityVote } from "./majority-vote";
export { softDistribution } from "./soft-distribution";
export { faceDawidSkene, CROWD_ANNOTATOR, ORIGINAL_ANNOTATOR } from "./face-dawid-skene";
export { dawidSkene, dawidSkeneData } from "./dawid-skene";
export * from "./face-opinions";
