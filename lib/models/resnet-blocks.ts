import * as tf from "@tensorflow/tfjs";
import { INPUT_SHAPE, KERAS_BATCH_NORM, KERAS_KERNEL_INITIALIZER, NUM_CLASSES } from "./constants";

/** The seed's ResNet parts (Keras defaults: conv bias on, glorot_uniform), shared by ResNet34 and the deep ResNet. */

type Symbolic = tf.SymbolicTensor;

const apply = (layer: tf.layers.Layer, x: Symbolic | Symbolic[]) => layer.apply(x) as Symbolic;

function conv(filters: number, kernelSize: number, strides = 1, padding: "same" | "valid" = "same") {
  return tf.layers.conv2d({ filters, kernelSize, strides, padding, kernelInitializer: KERAS_KERNEL_INITIALIZER });
}

const bn = () => tf.layers.batchNormalization(KERAS_BATCH_NORM);
const relu = () => tf.layers.activation({ activation: "relu" });

/** ZeroPadding2D(3) -> conv 64 7x7/2 'same' (54 -> 27) -> BN -> ReLU -> max-pool 3x3/2 'same' (-> 14). */
export function resnetStem(input: Symbolic): Symbolic {
  let x = apply(tf.layers.zeroPadding2d({ padding: 3 }), input);
  x = apply(conv(64, 7, 2), x);
  x = apply(relu(), apply(bn(), x));
  return apply(tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: "same" }), x);
}

/** Two 3x3 convs with BN, added to the unchanged input; `filters` must equal the input's channels. */
export function identityBlock(input: Symbolic, filters: number): Symbolic {
  let x = apply(relu(), apply(bn(), apply(conv(filters, 3), input)));
  x = apply(bn(), apply(conv(filters, 3), x));
  return apply(relu(), apply(tf.layers.add(), [x, input]));
}

/** Halves the resolution; the shortcut is a 1x1/2 'valid' conv with bias and no BN, as in the seed. */
export function convBlock(input: Symbolic, filters: number): Symbolic {
  let x = apply(relu(), apply(bn(), apply(conv(filters, 3, 2), input)));
  x = apply(bn(), apply(conv(filters, 3), x));
  const shortcut = apply(conv(filters, 1, 2, "valid"), input);
  return apply(relu(), apply(tf.layers.add(), [x, shortcut]));
}

/** AveragePooling2D(2, 'same') -> Flatten -> Dense 512 ReLU -> Dense 7 softmax. */
export function resnetHead(input: Symbolic): Symbolic {
  let x = apply(tf.layers.averagePooling2d({ poolSize: 2, padding: "same" }), input);
  x = apply(tf.layers.flatten(), x);
  x = apply(tf.layers.dense({ units: 512, activation: "relu", kernelInitializer: KERAS_KERNEL_INITIALIZER }), x);
  return apply(
    tf.layers.dense({ units: NUM_CLASSES, activation: "softmax", kernelInitializer: KERAS_KERNEL_INITIALIZER }),
    x,
  );
}

export function dropout(input: Symbolic, rate = 0.25): Symbolic {
  return apply(tf.layers.dropout({ rate }), input);
}

export function resnetInput(): Symbolic {
  return tf.input({ shape: [...INPUT_SHAPE] });
}
