import { NUM_EMOTIONS } from "../emotions";

/** Every model in the zoo takes a 48x48 grayscale face scaled to [0, 1] and outputs canonical-order softmax. */
export const INPUT_SHAPE = [48, 48, 1] as const;
export const NUM_CLASSES = NUM_EMOTIONS;

/** Keras's BatchNormalization defaults, spelled out because the seed's totals and behaviour depend on them. */
export const KERAS_BATCH_NORM = { axis: -1, momentum: 0.99, epsilon: 1e-3 } as const;

/** Keras's Conv2D/Dense default; tfjs-layers defaults to glorotNormal, so every builder passes this explicitly. */
export const KERAS_KERNEL_INITIALIZER = "glorotUniform" as const;

/** The seed's training images (the msambare layout's train folder), used by its class weights and decay schedule. */
export const SEED_TRAIN_IMAGES = 22_968;
/** Batches per epoch in the seed's runs at batch 64, the last partial batch included; its decay counts these. */
export const SEED_BATCHES_PER_EPOCH = Math.ceil(SEED_TRAIN_IMAGES / 64);
