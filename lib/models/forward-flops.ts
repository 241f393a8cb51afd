import type * as tf from "@tensorflow/tfjs";

/**
 * Forward FLOPs per image of a built model, counting a multiply-add as 2 FLOPs in Conv2D, DepthwiseConv2D,
 * SeparableConv2D, Conv1D and Dense layers (nested models included). Bias adds, batch norm, activations, pooling,
 * padding, residual adds and squeeze-excite multiplies are ignored: a few FLOPs per activation, under 2% of the
 * ResNets' total, though memory-bound and so slower than their count suggests (EfficientNet most of all).
 */
export function forwardFlops(model: tf.LayersModel): number {
  return model.layers.reduce((sum, layer) => sum + layerFlops(layer), 0);
}

export function layerFlops(layer: tf.layers.Layer): number {
  if (isModel(layer)) return forwardFlops(layer);
  const kind = layer.getClassName();
  if (!MAC_LAYERS.has(kind)) return 0;
  if (layer.inboundNodes.length > 1)
    throw new Error(`layer ${layer.name} is shared; forwardFlops counts each layer once`);

  const outputShape = layer.outputShape as (number | null)[];
  // Positions the kernel is applied at: every output element except batch and channels.
  const positions = product(outputShape.slice(1, -1));
  const kernel = (suffix: string) => {
    const weight = layer.weights.find((w) => w.originalName.endsWith(suffix));
    if (weight === undefined) throw new Error(`layer ${layer.name} has no ${suffix} weight`);
    return weight.shape as number[];
  };

  // Kernels are [kh, kw, in, out], depthwise [kh, kw, in, multiplier], dense [in, out]: one MAC per entry per position.
  switch (kind) {
    case "DepthwiseConv2D":
      return 2 * positions * product(kernel("/depthwise_kernel"));
    case "SeparableConv2D":
      return 2 * positions * (product(kernel("/depthwise_kernel")) + product(kernel("/pointwise_kernel")));
    default:
      return 2 * positions * product(kernel("/kernel"));
  }
}

const MAC_LAYERS = new Set(["Conv1D", "Conv2D", "DepthwiseConv2D", "SeparableConv2D", "Dense"]);

function isModel(layer: tf.layers.Layer): layer is tf.LayersModel {
  return "layers" in layer && Array.isArray((layer as { layers?: unknown }).layers);
}

function product(dims: readonly (number | null)[]): number {
  return dims.reduce<number>((acc, d) => {
    if (d == null) throw new Error("forwardFlops needs fully defined shapes (a fixed input size)");
    return acc * d;
  }, 1);
}
