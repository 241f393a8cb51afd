import * as tf from "@tensorflow/tfjs";
import { INPUT_SHAPE, KERAS_BATCH_NORM, KERAS_KERNEL_INITIALIZER, NUM_CLASSES } from "./constants";

/**
 * The seed's plain CNN (4,496,903 parameters). Every conv is 'same' and ReLU, batch norm after the activation, as in
 * the Keras Sequential original; the flatten before the first dense is then 3x3x512, as the parameter total confirms.
 */
export function buildPlainCnn(): tf.LayersModel {
  const conv = (filters: number, kernelSize: number, l2 = 0) =>
    tf.layers.conv2d({
      filters,
      kernelSize,
      padding: "same",
      activation: "relu",
      kernelInitializer: KERAS_KERNEL_INITIALIZER,
      kernelRegularizer: l2 > 0 ? tf.regularizers.l2({ l2 }) : undefined,
    });
  const dense = (units: number, activation: "relu" | "softmax") =>
    tf.layers.dense({ units, activation, kernelInitializer: KERAS_KERNEL_INITIALIZER });
  const bn = () => tf.layers.batchNormalization(KERAS_BATCH_NORM);
  const pool = () => tf.layers.maxPooling2d({ poolSize: 2 });
  const drop = () => tf.layers.dropout({ rate: 0.25 });

  const input = tf.input({ shape: [...INPUT_SHAPE] });
  // prettier-ignore
  const layers: tf.layers.Layer[] = [
    conv(32, 3),
    conv(64, 3), bn(), pool(), drop(),
    conv(128, 5), bn(), pool(), drop(),
    conv(512, 3, 0.01), bn(), pool(), drop(),
    conv(512, 3, 0.01), bn(), pool(), drop(),
    tf.layers.flatten(),
    dense(256, "relu"), bn(), drop(),
    dense(512, "relu"), bn(), drop(),
    dense(NUM_CLASSES, "softmax"),
  ];
  const output = layers.reduce<tf.SymbolicTensor>((x, layer) => layer.apply(x) as tf.SymbolicTensor, input);
  return tf.model({ inputs: input, outputs: output, name: "plain_cnn" });
}
