import * as tf from "@tensorflow/tfjs";
import { INPUT_SHAPE, KERAS_BATCH_NORM, NUM_CLASSES } from "./constants";
import { Normalization } from "./normalization-layer";

export interface EfficientNetVariant {
  name: string;
  widthCoefficient: number;
  depthCoefficient: number;
  topDropout: number;
}

export const EFFICIENTNET_B3: EfficientNetVariant = {
  name: "efficientnetb3",
  widthCoefficient: 1.2,
  depthCoefficient: 1.4,
  topDropout: 0.3,
};
export const EFFICIENTNET_B5: EfficientNetVariant = {
  name: "efficientnetb5",
  widthCoefficient: 1.6,
  depthCoefficient: 2.2,
  topDropout: 0.4,
};

const DEPTH_DIVISOR = 8;
const DROP_CONNECT_RATE = 0.2;
const SE_RATIO = 0.25;

// kernel, repeats, filters in -> out, expand ratio, stride: the B0 stages that every variant scales.
const BASE_STAGES = [
  { kernel: 3, repeats: 1, filtersIn: 32, filtersOut: 16, expand: 1, stride: 1 },
  { kernel: 3, repeats: 2, filtersIn: 16, filtersOut: 24, expand: 6, stride: 2 },
  { kernel: 5, repeats: 2, filtersIn: 24, filtersOut: 40, expand: 6, stride: 2 },
  { kernel: 3, repeats: 3, filtersIn: 40, filtersOut: 80, expand: 6, stride: 2 },
  { kernel: 5, repeats: 3, filtersIn: 80, filtersOut: 112, expand: 6, stride: 1 },
  { kernel: 5, repeats: 4, filtersIn: 112, filtersOut: 192, expand: 6, stride: 2 },
  { kernel: 3, repeats: 1, filtersIn: 192, filtersOut: 320, expand: 6, stride: 1 },
] as const;

// Keras draws VarianceScaling "truncated_normal" with stddev sqrt(scale / fan) / 0.8796 (the truncated normal's own
// shrinkage); tfjs's "normal" is the same truncated draw without that correction, so the scale absorbs it.
const TRUNCATION_CORRECTION = 0.87962566103423978;
const convInit = () =>
  tf.initializers.varianceScaling({ scale: 2 / TRUNCATION_CORRECTION ** 2, mode: "fanOut", distribution: "normal" });
const denseInit = () => tf.initializers.varianceScaling({ scale: 1 / 3, mode: "fanOut", distribution: "uniform" });

export function roundFilters(filters: number, widthCoefficient: number): number {
  const scaled = filters * widthCoefficient;
  let rounded = Math.max(
    DEPTH_DIVISOR,
    Math.floor(Math.trunc(scaled + DEPTH_DIVISOR / 2) / DEPTH_DIVISOR) * DEPTH_DIVISOR,
  );
  if (rounded < 0.9 * scaled) rounded += DEPTH_DIVISOR;
  return rounded;
}

export function roundRepeats(repeats: number, depthCoefficient: number): number {
  return Math.ceil(depthCoefficient * repeats);
}

type Symbolic = tf.SymbolicTensor;
const apply = (layer: tf.layers.Layer, x: Symbolic | Symbolic[]) => layer.apply(x) as Symbolic;

/** Keras's `imagenet_utils.correct_pad`: 'same'-like padding for a strided 'valid' conv, one less top/left if even. */
function correctPad(x: Symbolic, kernel: number): [[number, number], [number, number]] {
  const [, height, width] = x.shape;
  if (height == null || width == null) throw new Error("EfficientNet needs a fixed input size");
  const half = Math.floor(kernel / 2);
  return [
    [half - (1 - (height % 2)), half],
    [half - (1 - (width % 2)), half],
  ];
}

function conv1x1(filters: number, name: string, opts: { useBias?: boolean; activation?: "swish" | "sigmoid" } = {}) {
  return tf.layers.conv2d({
    filters,
    kernelSize: 1,
    padding: "same",
    useBias: opts.useBias ?? false,
    activation: opts.activation,
    kernelInitializer: convInit(),
    name,
  });
}

const bn = (name: string) => tf.layers.batchNormalization({ ...KERAS_BATCH_NORM, name });
const swish = (name: string) => tf.layers.activation({ activation: "swish", name });

interface BlockArgs {
  filtersIn: number;
  filtersOut: number;
  kernel: number;
  stride: number;
  expand: number;
  dropRate: number;
  name: string;
}

/** Inverted residual (MBConv) with squeeze-excite and, when shapes allow, drop-connect and a skip connection. */
function mbConv(
  input: Symbolic,
  { filtersIn, filtersOut, kernel, stride, expand, dropRate, name }: BlockArgs,
): Symbolic {
  const filters = filtersIn * expand;
  let x = input;
  if (expand !== 1) {
    x = apply(conv1x1(filters, `${name}expand_conv`), x);
    x = apply(swish(`${name}expand_activation`), apply(bn(`${name}expand_bn`), x));
  }
  if (stride === 2) {
    x = apply(tf.layers.zeroPadding2d({ padding: correctPad(x, kernel), name: `${name}dwconv_pad` }), x);
  }
  x = apply(
    tf.layers.depthwiseConv2d({
      kernelSize: kernel,
      strides: stride,
      padding: stride === 2 ? "valid" : "same",
      useBias: false,
      depthwiseInitializer: convInit(),
      name: `${name}dwconv`,
    }),
    x,
  );
  x = apply(swish(`${name}activation`), apply(bn(`${name}bn`), x));

  const filtersSe = Math.max(1, Math.trunc(filtersIn * SE_RATIO));
  let se = apply(tf.layers.globalAveragePooling2d({ name: `${name}se_squeeze` }), x);
  se = apply(tf.layers.reshape({ targetShape: [1, 1, filters], name: `${name}se_reshape` }), se);
  se = apply(conv1x1(filtersSe, `${name}se_reduce`, { useBias: true, activation: "swish" }), se);
  se = apply(conv1x1(filters, `${name}se_expand`, { useBias: true, activation: "sigmoid" }), se);
  x = apply(tf.layers.multiply({ name: `${name}se_excite` }), [x, se]);

  x = apply(bn(`${name}project_bn`), apply(conv1x1(filtersOut, `${name}project_conv`), x));
  if (stride === 1 && filtersIn === filtersOut) {
    if (dropRate > 0) {
      // Drop-connect: one keep/drop draw per sample. tfjs fills null noise dimensions from the input, like Keras.
      const noiseShape = [null, 1, 1, 1] as unknown as number[];
      x = apply(tf.layers.dropout({ rate: dropRate, noiseShape, name: `${name}drop` }), x);
    }
    x = apply(tf.layers.add({ name: `${name}add` }), [x, input]);
  }
  return x;
}

/**
 * Keras's `EfficientNetB*(weights=None, input_shape=(48,48,1), classes=7)`, layer for layer and with Keras's layer
 * names, so that the seed's parameter totals hold and Keras weights could be mapped by name.
 */
export function buildEfficientNet(variant: EfficientNetVariant): tf.LayersModel {
  const { widthCoefficient: w, depthCoefficient: d } = variant;
  const input = tf.input({ shape: [...INPUT_SHAPE], name: "input_layer" });

  // The seed feeds x/255 and the model divides by 255 again; kept so that the seed's recipe is reproduced as run.
  let x = apply(tf.layers.rescaling({ scale: 1 / 255, name: "rescaling" }), input);
  x = apply(new Normalization({ name: "normalization" }), x);

  x = apply(tf.layers.zeroPadding2d({ padding: correctPad(x, 3), name: "stem_conv_pad" }), x);
  x = apply(
    tf.layers.conv2d({
      filters: roundFilters(32, w),
      kernelSize: 3,
      strides: 2,
      padding: "valid",
      useBias: false,
      kernelInitializer: convInit(),
      name: "stem_conv",
    }),
    x,
  );
  x = apply(swish("stem_activation"), apply(bn("stem_bn"), x));

  const totalBlocks = BASE_STAGES.reduce((sum, stage) => sum + roundRepeats(stage.repeats, d), 0);
  let b = 0;
  BASE_STAGES.forEach((stage, i) => {
    const filtersOut = roundFilters(stage.filtersOut, w);
    for (let j = 0; j < roundRepeats(stage.repeats, d); j++) {
      x = mbConv(x, {
        filtersIn: j === 0 ? roundFilters(stage.filtersIn, w) : filtersOut,
        filtersOut,
        kernel: stage.kernel,
        stride: j === 0 ? stage.stride : 1,
        expand: stage.expand,
        dropRate: (DROP_CONNECT_RATE * b) / totalBlocks,
        name: `block${i + 1}${String.fromCharCode(97 + j)}_`,
      });
      b++;
    }
  });

  x = apply(conv1x1(roundFilters(1280, w), "top_conv"), x);
  x = apply(swish("top_activation"), apply(bn("top_bn"), x));
  x = apply(tf.layers.globalAveragePooling2d({ name: "avg_pool" }), x);
  x = apply(tf.layers.dropout({ rate: variant.topDropout, name: "top_dropout" }), x);
  const output = apply(
    tf.layers.dense({ units: NUM_CLASSES, activation: "softmax", kernelInitializer: denseInit(), name: "predictions" }),
    x,
  );
  return tf.model({ inputs: input, outputs: output, name: variant.name });
}
