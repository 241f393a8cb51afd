/** Per-channel mean and (biased) variance over every axis but the last: [mean, variance]. */
export const BATCH_NORM_STATS = "FaceloopBatchNormStats";

/** Inputs dy, x, mean, variance, gamma; attr epsilon; outputs [dx, dgamma, dbeta] of training-mode batch norm. */
export const BATCH_NORM_GRAD = "FaceloopBatchNormGrad";
