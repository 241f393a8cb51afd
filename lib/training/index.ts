export { createAdamW, type AdamW } from "./adamw";
export { drawShiftFlip, NO_AUGMENTATION, shiftFlipInto, type ShiftFlip } from "./augment";
export { BatchAssembler, disposeBatch, type TrainingBatch, type TrainingBatchOptions } from "./batch-assembler";
export {
  argmaxAt,
  classificationMetrics,
  confusionMatrix,
  expectedCalibrationError,
  perClassMetrics,
  type ClassificationMetrics,
  type ClassMetrics,
} from "./classification-metrics";
export { epochRandom, mulberry32, type Random } from "./epoch-random";
export { evaluateModel, predictProbabilities, scoreFaces, type FaceScores, type PredictOptions } from "./evaluate";
export {
  classCounts,
  createFaceDataset,
  FACE_PIXELS,
  faceDatasetFromSamples,
  shuffledOrder,
  subsetFaceDataset,
  type FaceDataset,
  type FaceDatasetInput,
} from "./face-dataset";
export { balancedClassWeights, meanCrossEntropy, weightedCrossEntropy, type LossSettings } from "./loss";
export {
  trainModel,
  type BatchProgress,
  type EpochContext,
  type TrainModelOptions,
  type TrainModelResult,
} from "./train-model";
export {
  assignModelWeights,
  captureCheckpoint,
  decodeTrainingState,
  encodeTrainingState,
  restoreCheckpoint,
  snapshotModelWeights,
  type BestWeights,
  type TrainingStateTensors,
} from "./training-state";
export * from "./types";
