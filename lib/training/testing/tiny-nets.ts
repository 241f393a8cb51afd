import * as tf from "@tensorflow/tfjs";
import { INPUT_SHAPE, KERAS_BATCH_NORM, NUM_CLASSES } from "../../models/constants";

export interface TinyNetOptions {
  batchNorm?: boolean;
  dropout?: number;
  filters?: number;
  /** Average-pooling factor applied to the 48x48 input first. */
  downsample?: number;
  /** A hidden dense layer of this many units instead of the conv (dense gradients are cheap on cpu). */
  hidden?: number;
  /** L2 regularisation of the hidden layer's kernel, to check that regularisers reach the loss. */
  l2?: number;
}

/**
 * A test-sized net: downsample, one 3x3 conv (or a hidden dense layer) (+ BatchNorm) + ReLU, (max-pool,) dense softmax. The cpu backend's
 * Conv2DBackpropFilter is a scalar loop (~170 ns per multiply-add), so a conv at full 48x48 resolution would take
 * seconds per batch; at 12x12 a whole short training fits in a few seconds and still exercises conv, BatchNorm and
 * dropout gradients.
 */
export function buildTinyNet(options: TinyNetOptions = {}): tf.LayersModel {
  const input = tf.input({ shape: [...INPUT_SHAPE] });
  let x = tf.layers.averagePooling2d({ poolSize: options.downsample ?? 4 }).apply(input) as tf.SymbolicTensor;
  const useBias = !options.batchNorm;
  const kernelRegularizer = options.l2 ? tf.regularizers.l2({ l2: options.l2 }) : undefined;
  if (options.hidden) {
    x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
    x = tf.layers
      .dense({ units: options.hidden, useBias, kernelInitializer: "heNormal", kernelRegularizer })
      .apply(x) as tf.SymbolicTensor;
  } else {
    const filters = options.filters ?? 8;
    x = tf.layers
      .conv2d({ filters, kernelSize: 3, padding: "same", useBias, kernelInitializer: "heNormal", kernelRegularizer })
      .apply(x) as tf.SymbolicTensor;
  }
  // Momentum 0.9, not Keras's 0.99: a test run has too few steps for slower moving statistics to settle.
  if (options.batchNorm)
    x = tf.layers.batchNormalization({ ...KERAS_BATCH_NORM, momentum: 0.9 }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.activation({ activation: "relu" }).apply(x) as tf.SymbolicTensor;
  if (!options.hidden) {
    x = tf.layers.maxPooling2d({ poolSize: 2 }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  }
  if (options.dropout) x = tf.layers.dropout({ rate: options.dropout }).apply(x) as tf.SymbolicTensor;
  x = tf.layers
    .dense({ units: NUM_CLASSES, activation: "softmax", kernelInitializer: "glorotUniform" })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: x, name: "tiny" });
}
