import * as tf from "@tensorflow/tfjs";

type Layer = tf.layers.Layer;

/**
 * A model's inference pass with its batch norms folded into the convolutions before them, as TensorFlow's graph
 * optimiser does: conv -> BatchNorm (-> activation) becomes one fused conv with a bias (and the activation as its
 * own), so a native backend runs one primitive where the layers ran three (conv, normalise, activate), each a full
 * pass over the activations. A zero padding before a "valid" conv becomes the conv's own padding, and a conv with an
 * activation of its own (squeeze-and-excite's sigmoid) runs it fused too. Every other layer runs as it is. Inference
 * only: the moving statistics are baked into the plan's weights, so make a plan per use and dispose it (the model's
 * weights change while it trains).
 */
export interface InferencePlan {
  /** The model's outputs for `x`, in `model.outputs` order. */
  run(x: tf.Tensor): tf.Tensor[];
  /** Layers folded away (batch norms, activations and paddings now inside a conv). */
  folded: number;
  dispose(): void;
}

export interface PlanOptions {
  /**
   * Activations the backend's fused convolutions take besides linear. Relu and sigmoid by default: every tfjs
   * backend's fused kernels run those; onednn adds swish (`nativeFusedActivations`).
   */
  activations?: Iterable<string>;
}

type Step = (values: Map<Layer, tf.Tensor>) => void;
type Padding = [[number, number], [number, number]];
const CONVS = new Set(["Conv2D", "DepthwiseConv2D"]);

/** The plan, or null for a graph it does not cover (a layer called more than once, multi-output layers). */
export function planInference(model: tf.LayersModel, options: PlanOptions = {}): InferencePlan | null {
  const fusable = new Set(["linear", ...(options.activations ?? ["relu", "sigmoid"])]);
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
  const paddedBy = new Map<Layer, { source: Layer; padding: Padding }>();
  const steps: Step[] = [];
  let folded = 0;
  for (const layer of layers) {
    if (layer === inputLayer || absorbed.has(layer)) continue;
    const inputs = inputsOf.get(layer)!;
    const className = layer.getClassName();
    if (className === "ZeroPadding2D") {
      const conv = soleConsumer(layer);
      const padding = zeroPadding(layer);
      const next = conv && CONVS.has(conv.getClassName()) ? convConfig(conv) : null;
      if (padding && next?.padding === "valid" && fusable.has(next.activation)) {
        paddedBy.set(conv!, { source: inputs[0], padding });
        absorbed.add(layer);
        folded++;
        continue;
      }
    }
    const config = CONVS.has(className) ? convConfig(layer) : null;
    if (config) {
      const depthwise = className === "DepthwiseConv2D";
      const norm = config.activation === "linear" ? soleConsumer(layer) : null;
      const fold = norm?.getClassName() === "BatchNormalization" && foldableNorm(norm) ? norm : null;
      const next = fold ? soleConsumer(fold) : null;
      const after = next && fusable.has(activationOf(next) ?? "") ? next : null;
      const activation = fold ? (after ? activationOf(after)! : "linear") : config.activation;
      if (fusable.has(activation)) {
        const weights = fold ? foldBatchNorm(layer, fold, depthwise) : ownWeights(layer);
        if (fold) owned.push(weights.filter, weights.bias!);
        const padded = paddedBy.get(layer);
        const source = padded?.source ?? inputs[0];
        const pad = padded ? ([[0, 0], ...padded.padding, [0, 0]] as tf.backend_util.ExplicitPadding) : config.padding;
        const end = after ?? fold ?? layer;
        // tfjs's Activation type lists its own kernels' activations; a backend that takes more (swish) is asked for them.
        const fused = activation as tf.fused.Activation;
        const args = { filter: weights.filter, bias: weights.bias, strides: config.strides, activation: fused };
        steps.push((values) => {
          const x = values.get(source) as tf.Tensor4D;
          const dilations = config.dilationRate;
          values.set(
            end,
            depthwise
              ? // tfjs declares string or number padding only; every backend's kernel takes explicit padding.
                tf.fused.depthwiseConv2d({ ...args, x, dilations, pad: pad as "valid" })
              : tf.fused.conv2d({ ...args, x, dilations, pad }),
          );
        });
        for (const l of [fold, after]) if (l) absorbed.add(l);
        folded += (fold ? 1 : 0) + (after ? 1 : 0);
        continue;
      }
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

interface ConvConfig {
  strides: number | [number, number];
  padding: "same" | "valid";
  dilationRate: number | [number, number];
  activation: string;
}

/** A channels-last Conv2D's or DepthwiseConv2D's settings, or null for a layout or padding the plan leaves alone. */
function convConfig(layer: Layer): ConvConfig | null {
  const c = layer.getConfig() as Partial<ConvConfig> & { dataFormat?: string };
  if ((c.dataFormat ?? "channelsLast") !== "channelsLast" || (c.padding !== "same" && c.padding !== "valid"))
    return null;
  return {
    strides: c.strides ?? 1,
    padding: c.padding,
    dilationRate: c.dilationRate ?? 1,
    activation: c.activation ?? "linear",
  };
}

/** A channels-last ZeroPadding2D's [[top, bottom], [left, right]]. */
function zeroPadding(layer: Layer): Padding | null {
  type Sides = number | [number, number];
  const c = layer.getConfig() as { padding: Sides | [Sides, Sides]; dataFormat?: string };
  if ((c.dataFormat ?? "channelsLast") !== "channelsLast") return null;
  const sides = (v: Sides): [number, number] => (typeof v === "number" ? [v, v] : v);
  const [height, width] = typeof c.padding === "number" ? [c.padding, c.padding] : c.padding;
  return [sides(height), sides(width)];
}

function foldableNorm(norm: Layer): boolean {
  const n = norm.getConfig() as { axis?: number | number[] };
  const axis = Array.isArray(n.axis) ? n.axis : [n.axis ?? -1];
  return axis.length === 1 && (axis[0] === -1 || axis[0] === 3);
}

/** The activation an Activation or plain ReLU layer applies; undefined for any other layer. */
function activationOf(layer: Layer): string | undefined {
  const config = layer.getConfig() as { activation?: string; maxValue?: number | null };
  if (layer.getClassName() === "Activation") return config.activation;
  if (layer.getClassName() === "ReLU" && config.maxValue == null) return "relu";
  return undefined;
}

/** The conv's own kernel and bias: its variables, which the plan reads but does not own. */
function ownWeights(conv: Layer): { filter: tf.Tensor4D; bias?: tf.Tensor1D } {
  const [kernel, bias] = conv.getWeights();
  return { filter: kernel as tf.Tensor4D, bias: bias as tf.Tensor1D | undefined };
}

/**
 * y = gamma * (conv(x) + b - mean) / sqrt(var + eps) + beta, so with s = gamma / sqrt(var + eps):
 * filter' = filter * s (per output channel: the last axis of a conv's [KH, KW, C, O] filter, the last two of a
 * depthwise one's [KH, KW, C, M], channel c * M + m) and bias' = (b - mean) * s + beta.
 */
function foldBatchNorm(conv: Layer, norm: Layer, depthwise: boolean): { filter: tf.Tensor4D; bias: tf.Tensor1D } {
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
    const filter = tf.mul(kernel, depthwise ? tf.reshape(s, kernel.shape.slice(2)) : s) as tf.Tensor4D;
    let bias = tf.mul(convBias ? tf.sub(convBias, mean) : tf.neg(mean), s);
    if (beta) bias = tf.add(bias, beta);
    return { filter, bias: bias as tf.Tensor1D };
  });
}
