import * as tf from "@tensorflow/tfjs";
import { convBlock, dropout, identityBlock, resnetHead, resnetInput, resnetStem } from "./resnet-blocks";

/**
 * Identity blocks per group. Stages 2-4 open with a conv block and put a Dropout(0.25) before each group (nine in all);
 * stage 1 has no dropout.
 */
const STAGES: { filters: number; groups: number[] }[] = [
  { filters: 64, groups: [3] },
  { filters: 128, groups: [2, 3] },
  { filters: 256, groups: [3, 3, 3, 2] },
  { filters: 512, groups: [3, 3, 1] },
];

/** The seed's "model_five" (52,870,791 parameters): a deeper ResNet with nine Dropout(0.25) layers between groups. */
export function buildDeepResnet(): tf.LayersModel {
  const input = resnetInput();
  let x = resnetStem(input);
  STAGES.forEach(({ filters, groups }, stage) => {
    if (stage > 0) x = convBlock(x, filters);
    for (const blocks of groups) {
      if (stage > 0) x = dropout(x);
      for (let b = 0; b < blocks; b++) x = identityBlock(x, filters);
    }
  });
  return tf.model({ inputs: input, outputs: resnetHead(x), name: "deep_resnet" });
}
