import * as tf from "@tensorflow/tfjs";
import { convBlock, identityBlock, resnetHead, resnetInput, resnetStem } from "./resnet-blocks";

/** The seed's ResNet34 (21,566,599 parameters): stages of 3, 4, 6, 3 blocks at 64/128/256/512 filters. */
export function buildResnet34(): tf.LayersModel {
  const input = resnetInput();
  let x = resnetStem(input);
  const stages: [filters: number, blocks: number][] = [
    [64, 3],
    [128, 4],
    [256, 6],
    [512, 3],
  ];
  stages.forEach(([filters, blocks], stage) => {
    for (let b = 0; b < blocks; b++) {
      // Stage 1 keeps the stem's 64 channels; later stages open with a downsampling conv block.
      x = stage > 0 && b === 0 ? convBlock(x, filters) : identityBlock(x, filters);
    }
  });
  return tf.model({ inputs: input, outputs: resnetHead(x), name: "resnet34" });
}
