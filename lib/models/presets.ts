import type { OptimizerConfig, TrainingPreset } from "./types";

/** Keras's Adam defaults, which every seed run used apart from the learning rate. */
const SEED_ADAM: OptimizerConfig = {
  kind: "adam",
  learningRate: 1e-3,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-7,
  weightDecay: 0,
};

/** Every seed experiment: shifts up to 10% and horizontal flips, batch 64, 200 epochs, best checkpoint by val. */
const SEED_BASE = {
  optimizer: SEED_ADAM,
  schedule: { kind: "constant" },
  augmentation: { shiftFraction: 0.1, horizontalFlip: true },
  classWeights: "none",
  labelSmoothing: 0,
  epochs: 200,
  batchSize: 64,
  checkpoint: "best-val-accuracy",
} as const satisfies Omit<TrainingPreset, "name" | "description">;

/** Keras's legacy `decay=4e-5` on Adam: 5.8e-4 at epoch 50 and 2.6e-4 at 200 with the seed's 359 batches/epoch. */
const SEED_INVERSE_TIME = { kind: "inverse-time", decayPerBatch: 4e-5 } as const;

export const SEED_PLAIN_CNN_PRESET: TrainingPreset = {
  ...SEED_BASE,
  name: "seed-plain-cnn",
  description: "Adam 1e-4, 60 epochs",
  optimizer: { ...SEED_ADAM, learningRate: 1e-4 },
  epochs: 60,
};

export const SEED_RESNET34_PRESET: TrainingPreset = {
  ...SEED_BASE,
  name: "seed-resnet34",
  description: "plain Adam 1e-3, 200 epochs, last epoch kept",
  checkpoint: "last-epoch",
};

export const SEED_DEEP_RESNET_PRESET: TrainingPreset = {
  ...SEED_BASE,
  name: "seed-deep-resnet",
  description: "Adam 1e-3 with inverse-time decay, 200 epochs",
  schedule: SEED_INVERSE_TIME,
};

export const SEED_DEEP_RESNET_BALANCED_PRESET: TrainingPreset = {
  ...SEED_DEEP_RESNET_PRESET,
  name: "seed-deep-resnet-balanced",
  description: "Adam 1e-3 with inverse-time decay, balanced class weights, 200 epochs",
  classWeights: "balanced",
};

/** The notes name no decay or class weights for EfficientNet, so it gets the seed's common recipe. */
export const SEED_EFFICIENTNET_PRESET: TrainingPreset = {
  ...SEED_BASE,
  name: "seed-efficientnet",
  description: "plain Adam 1e-3, 200 epochs",
};

/**
 * Ours, for the compact net on CPU: the recipe that took the 16/32/64/128 calibration net to 64% in 9 PyTorch epochs
 * (AdamW, one-cycle, label smoothing 0.1, flips and small shifts). Peak learning rate and weight decay are starting
 * points, not tuned values. Shifts are whole pixels, as torchvision's, so training faces are as sharp as the faces
 * the model is later asked about. Keeps the last epoch: one-cycle ends at its best anyway, and choosing by val
 * accuracy would select on PublicTest, which the FER-2013 import makes the val split.
 */
export const FAST_PRESET: TrainingPreset = {
  name: "fast",
  description: "AdamW (decay 0.01), one-cycle to 3e-3, label smoothing 0.1, 30 epochs",
  optimizer: { kind: "adam", learningRate: 3e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0.01 },
  schedule: { kind: "one-cycle", maxLearningRate: 3e-3, warmupFraction: 0.3, divFactor: 25, finalDivFactor: 1e4 },
  augmentation: { shiftFraction: 0.1, horizontalFlip: true, wholePixelShifts: true },
  classWeights: "none",
  labelSmoothing: 0.1,
  epochs: 30,
  batchSize: 64,
  checkpoint: "last-epoch",
};
