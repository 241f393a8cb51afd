import * as tf from "@tensorflow/tfjs";

type Layer = tf.layers.Layer;

/**
 * A model's inference pass with its batch norms folded into the convolutions before them, as TensorFlow's graph
 * optimiser does: conv -> BatchNorm (-> ReLU) becomes one fused conv with a bias (and the ReLU as its activation), so
 * a native backend runs one primitive where the layers ran three (conv, normalise, activate), each a full pass over
 * the activations. Every other layer runs as it is. Inference only: the moving statistics are baked into the plan's
 * weights, so make a plan per use and dispose it (the model's weights change while it trains).
 */
export interface InferencePlan {
  /** The model's outputs for `x`, in `model.outputs` order. */
  run(x: tf.Tensor): tf.Tensor[];
  /** Layers folded away (batch norms and activations now inside a conv). */
  folded: number;
  dispose(): void;
}

type Step = (values: Map<Layer, tf.Tensor>) => void;

/** The plan, or null for a graph it does not cover (a layer called more than once, multi-output layers). */
export function planInference(model: tf.LayersModel): InferencePlan | null {
  const layers = model.layers;
  const inputsOf = new Map<Layer, Layer[]>();
  const consumers = new Map<Layer, Layer[]>();
  for (const layer of layers) {
    if (layer.inboundNodes.length !== 1) return null;
    const node = layer.inboundNodes[0];
    if (node.tensorIndices.some((i) => i !== 0) || node.outputTensors.length !== 1) return null;
    inputsOf.set(layer, node.inboundLayers);
    for (const input of node.inboundLayers) consumers.set(input, [...(consumers.get(input) ?? []), layer]);
  }
  const outputs = model.outputs.map((t) => t.sourceLayer);
  if (model.inputs.length !== 1 || model.outputs.some((t, i) => t !== outputs[i].output)) return null;
  const inputLayer = model.inputs[0].sourceLayer;
  const soleConsumer = (layer: Layer) => {
    const list = consumers.get(layer) ?? [];
    return list.length === 1 && !outputs.includes(layer) ? list[0] : null;
  };

  const owned: tf.Tensor[] = [];
  const absorbed = new Set<Layer>();
  const steps: Step[] = [];
  let folded = 0;
  for (const layer of layers) {
    if (layer === inputLayer || absorbed.has(layer)) continue;
    const inputs = inputsOf.get(layer)!;
    const norm = layer.getClassName() === "Conv2D" ? soleConsumer(layer) : null;
    if (norm && norm.getClassName() === "BatchNormalization" && foldable(layer, norm)) {
      const activation = soleConsumer(norm);
      const relu = activation && isRelu(activation) ? activation : null;
      const end = relu ?? norm;
      const { filter, bias } = foldBatchNorm(layer, norm);
      owned.push(filter, bias);
      const config = layer.getConfig() as {
        strides: number | [number, number];
        padding: "same" | "valid";
        dilationRate: number | [number, number];
      };
      const source = inputs[0];
      steps.push((values) =>
        values.set(
          end,
          tf.fused.conv2d({
            x: values.get(source) as tf.Tensor4D,
            filter,
            bias,
            strides: config.strides,
            pad: config.padding,
            dilations: config.dilationRate,
            activation: relu ? "relu" : "linear",
          }),
        ),
      );
      absorbed.add(norm);
      if (relu) absorbed.add(relu);
      folded += relu ? 2 : 1;
      continue;
    }
    steps.push((values) => {
      const args = inputs.map((l) => values.get(l)!);
      values.set(layer, layer.apply(args.length === 1 ? args[0] : args, { training: false }) as tf.Tensor);
    });
  }
  return {
    folded,
    run: (x) =>
      tf.tidy(() => {
        const values = new Map<Layer, tf.Tensor>([[inputLayer, x]]);
        for (const step of steps) step(values);
        return outputs.map((layer) => values.get(layer)!);
      }),
    dispose: () => tf.dispose(owned),
  };
}

function foldable(conv: Layer, norm: Layer): boolean {
  const c = conv.getConfig() as { activation?: string; dataFormat?: string; padding?: string };
  const n = norm.getConfig() as { axis?: number | number[] };
  const axis = Array.isArray(n.axis) ? n.axis : [n.axis ?? -1];
  return (
    (c.activation ?? "linear") === "linear" &&
    (c.dataFormat ?? "channelsLast") === "channelsLast" &&
    (c.padding === "same" || c.padding === "valid") &&
    axis.length === 1 &&
    (axis[0] === -1 || axis[0] === 3)
  );
}

function isRelu(layer: Layer): boolean {
  const config = layer.getConfig() as { activation?: string; maxValue?: number | null };
  if (layer.getClassName() === "Activation") return config.activation === "relu";
  return layer.getClassName() === "ReLU" && config.maxValue == null;
}

/**
 * y = gamma * (conv(x) + b - mean) / sqrt(var + eps) + beta, so with s = gamma / sqrt(var + eps):
 * filter' = filter * s (per output channel, the last axis) and bias' = (b - mean) * s + beta.
 */
function foldBatchNorm(conv: Layer, norm: Layer): { filter: tf.Tensor4D; bias: tf.Tensor1D } {
  const n = norm.getConfig() as { epsilon: number; center: boolean; scale: boolean };
  const weights = norm.getWeights();
  let k = 0;
  const gamma = n.scale ? weights[k++] : null;
  const beta = n.center ? weights[k++] : null;
  const [mean, variance] = [weights[k], weights[k + 1]];
  return tf.tidy(() => {
    const [kernel, convBias] = conv.getWeights();
    const inv = tf.rsqrt(tf.add(variance, n.epsilon));
    const s = gamma ? tf.mul(gamma, inv) : inv;
    const filter = tf.mul(kernel, s) as tf.Tensor4D;
    let bias = tf.mul(convBias ? tf.sub(convBias, mean) : tf.neg(mean), s);
    if (beta) bias = tf.add(bias, beta);
    return { filter, bias: bias as tf.Tensor1D };
  });
}
