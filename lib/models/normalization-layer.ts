import * as tf from "@tensorflow/tfjs";

/**
 * Keras's `Normalization` layer (axis -1), which tfjs-layers lacks. Keras EfficientNet includes one that the seed never
 * adapted, so it is an identity with mean 0, variance 1; it is kept because its three non-trainable weights (mean,
 * variance, count) are part of the seed's parameter totals, and so that adapted statistics could be loaded later.
 */
export class Normalization extends tf.layers.Layer {
  static className = "Normalization";
  private mean: tf.LayerVariable | null = null;
  private variance: tf.LayerVariable | null = null;

  constructor(args: { name?: string } = {}) {
    super(args);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const channels = shape[shape.length - 1];
    if (channels == null) throw new Error("Normalization needs a known channel count");
    this.mean = this.addWeight("mean", [channels], "float32", tf.initializers.zeros(), undefined, false);
    this.variance = this.addWeight("variance", [channels], "float32", tf.initializers.ones(), undefined, false);
    // Keras keeps the sample count it adapted on; unused here but counted in the totals.
    this.addWeight("count", [], "float32", tf.initializers.zeros(), undefined, false);
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      if (this.mean === null || this.variance === null) throw new Error("Normalization called before build");
      // Keras: (x - mean) / max(sqrt(variance), epsilon).
      const std = tf.maximum(tf.sqrt(this.variance.read()), 1e-7);
      return tf.div(tf.sub(x, this.mean.read()), std);
    });
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }
}

tf.serialization.registerClass(Normalization);
