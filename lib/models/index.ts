import { buildCompact, COMPACT_WIDE_WIDTHS } from "./compact";
import { INPUT_SHAPE, NUM_CLASSES } from "./constants";
import { buildDeepResnet } from "./deep-resnet";
import { buildEfficientNet, EFFICIENTNET_B3, EFFICIENTNET_B5 } from "./efficientnet";
import { buildPlainCnn } from "./plain-cnn";
import { buildResnet34 } from "./resnet34";
import {
  FAST_PRESET,
  SEED_DEEP_RESNET_BALANCED_PRESET,
  SEED_DEEP_RESNET_PRESET,
  SEED_EFFICIENTNET_PRESET,
  SEED_PLAIN_CNN_PRESET,
  SEED_RESNET34_PRESET,
} from "./presets";
import type { ModelSpec } from "./types";

const FACE_INPUT = { inputShape: INPUT_SHAPE, numClasses: NUM_CLASSES } as const;

/** Every model faceloop can train: the seed study's five nets (one of them with two recipes) and our compact net. */
export const MODEL_ZOO: readonly ModelSpec[] = [
  {
    name: "plain-cnn",
    architecture: "plain-cnn",
    description: "the seed's plain CNN: 5 convs, 2 dense layers",
    ...FACE_INPUT,
    expectedParams: 4_496_903,
    seedReportedAccuracy: 0.6194,
    build: buildPlainCnn,
    preset: SEED_PLAIN_CNN_PRESET,
  },
  {
    name: "resnet34",
    architecture: "resnet34",
    description: "the seed's ResNet34: 3/4/6/3 basic blocks, dense 512 head",
    ...FACE_INPUT,
    expectedParams: 21_566_599,
    seedReportedAccuracy: 0.6397,
    build: buildResnet34,
    preset: SEED_RESNET34_PRESET,
  },
  {
    name: "deep-resnet",
    architecture: "deep-resnet",
    description: "the seed's model_five: 3/6/12/8 basic blocks, 9 dropouts",
    ...FACE_INPUT,
    expectedParams: 52_870_791,
    seedReportedAccuracy: 0.6571,
    build: buildDeepResnet,
    preset: SEED_DEEP_RESNET_PRESET,
  },
  {
    name: "deep-resnet-balanced",
    architecture: "deep-resnet",
    description: "model_five trained with balanced class weights",
    ...FACE_INPUT,
    expectedParams: 52_870_791,
    seedReportedAccuracy: 0.6473,
    build: buildDeepResnet,
    preset: SEED_DEEP_RESNET_BALANCED_PRESET,
  },
  {
    name: "efficientnet-b3",
    architecture: "efficientnet-b3",
    description: "Keras EfficientNetB3 from scratch, 1-channel input",
    ...FACE_INPUT,
    expectedParams: 10_793_570,
    seedReportedAccuracy: 0.6432,
    build: () => buildEfficientNet(EFFICIENTNET_B3),
    preset: SEED_EFFICIENTNET_PRESET,
  },
  {
    name: "efficientnet-b5",
    architecture: "efficientnet-b5",
    description: "Keras EfficientNetB5 from scratch, 1-channel input",
    ...FACE_INPUT,
    expectedParams: 28_527_002,
    seedReportedAccuracy: 0.6418,
    build: () => buildEfficientNet(EFFICIENTNET_B5),
    preset: SEED_EFFICIENTNET_PRESET,
  },
  {
    name: "compact",
    architecture: "compact",
    description: "ours: VGG-style 20/40/80/160, for CPU training and the browser",
    ...FACE_INPUT,
    build: () => buildCompact(),
    preset: FAST_PRESET,
  },
  {
    name: "compact-wide",
    architecture: "compact-wide",
    description: "ours, wider: 32/64/128/256, for an hour on native CPU kernels",
    ...FACE_INPUT,
    build: () => buildCompact({ widths: COMPACT_WIDE_WIDTHS }),
    preset: FAST_PRESET,
  },
];

export const MODEL_NAMES: readonly string[] = MODEL_ZOO.map((s) => s.name);

export function getModelSpec(name: string): ModelSpec {
  const found = MODEL_ZOO.find((s) => s.name === name);
  if (found === undefined) throw new Error(`unknown model "${name}"; valid names: ${MODEL_NAMES.join(", ")}`);
  return found;
}

export { buildCompact, COMPACT_DEFAULTS, COMPACT_WIDE_WIDTHS, type CompactOptions } from "./compact";
export { describePreset } from "./describe-preset";
export { INPUT_SHAPE, NUM_CLASSES } from "./constants";
export { forwardFlops, layerFlops } from "./forward-flops";
export { learningRateAt, learningRateAtProgress } from "./learning-rate";
export { Normalization } from "./normalization-layer";
export * from "./presets";
export * from "./types";
