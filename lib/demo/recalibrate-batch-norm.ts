import * as tf from "@tensorflow/tfjs";

/**
 * Sets every BatchNormalization layer's moving mean and variance to the statistics of `inputs`, layer by layer in
 * order (each layer sees inputs normalised by the layers before it). A net trained for only a few dozen steps has
 * moving statistics still close to their initial 0 and 1 (Keras momentum 0.99), so its inference-mode predictions
 * are near chance although its training-mode ones are good; this makes the two agree.
 */
export function recalibrateBatchNorm(model: tf.LayersModel, inputs: tf.Tensor4D): void {
  for (const layer of model.layers) {
    if (layer.getClassName() !== "BatchNormalization") continue;
    const upToLayer = tf.model({ inputs: model.inputs, outputs: layer.input as tf.SymbolicTensor });
    const [mean, variance] = tf.tidy(() => {
      const moments = tf.moments(upToLayer.predict(inputs) as tf.Tensor, [0, 1, 2]);
      return [moments.mean, moments.variance];
    });
    // tfjs keeps BatchNormalization weights as [gamma, beta, movingMean, movingVariance] (scale/center on).
    const [gamma, beta] = layer.getWeights();
    layer.setWeights([gamma, beta, mean, variance]);
    mean.dispose();
    variance.dispose();
  }
}
