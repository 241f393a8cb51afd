import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BATCH_NORM_GRAD, BATCH_NORM_STATS } from "../batch-norm-kernel-names";
import { RELU_GRAD } from "../relu-gradient";
import { SWISH, SWISH_GRAD } from "../swish";
import { selectBackend } from "../select-backend";
import { readFileSync } from "node:fs";
import { expectClose, expectNoLeaks, relativeError, runKernelOn, seededValues } from "../test-support";
import { loadOnednnAddon } from "./load-onednn-addon";
import { setTrainingPrecision, withInferencePrecision } from "./onednn-kernels";

/**
 * Every native kernel against the plain JS cpu backend (the reference), on the layer shapes of the five seed nets and
 * the compact net (batch cut to 2-3 so the cpu side stays quick) plus odd strides, paddings and sizes. Tolerance:
 * largest absolute difference / largest expected magnitude < 1e-4 (float32 sums in another order; a wrong index or
 * padding gives errors of order 1).
 */
const TOLERANCE = 1e-4;

type Pad = "same" | "valid" | tf.backend_util.ExplicitPadding;
interface ConvCase {
  net: string;
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: Pad;
  dilations?: number;
}

const CONV_CASES: ConvCase[] = [
  { net: "compact stage 1", x: [2, 48, 48, 1], filter: [3, 3, 1, 20], strides: 1, pad: "same" },
  { net: "compact stage 2", x: [1, 24, 24, 20], filter: [3, 3, 20, 40], strides: 1, pad: "same" },
  { net: "compact stage 4", x: [3, 6, 6, 80], filter: [3, 3, 80, 160], strides: 1, pad: "same" },
  { net: "resnet stem 7x7/2", x: [2, 54, 54, 1], filter: [7, 7, 1, 64], strides: 2, pad: "same" },
  { net: "resnet 3x3/2 conv block", x: [1, 14, 14, 64], filter: [3, 3, 64, 128], strides: 2, pad: "same" },
  { net: "resnet 1x1/2 shortcut", x: [2, 7, 7, 128], filter: [1, 1, 128, 256], strides: 2, pad: "valid" },
  { net: "resnet stage 4", x: [2, 2, 2, 512], filter: [3, 3, 512, 512], strides: 1, pad: "same" },
  { net: "plain-cnn 5x5", x: [1, 12, 12, 64], filter: [5, 5, 64, 128], strides: 1, pad: "same" },
  { net: "efficientnet stem 3x3/2 valid", x: [2, 49, 49, 1], filter: [3, 3, 1, 40], strides: 2, pad: "valid" },
  { net: "efficientnet 1x1 expand", x: [2, 12, 12, 24], filter: [1, 1, 24, 144], strides: 1, pad: "same" },
  { net: "odd: rectangular stride", x: [2, 8, 9, 3], filter: [3, 2, 3, 4], strides: [2, 3], pad: "valid" },
  { net: "odd: 5x5/2 valid", x: [3, 11, 11, 4], filter: [5, 5, 4, 3], strides: 2, pad: "valid" },
  {
    net: "odd: explicit asymmetric padding",
    x: [2, 7, 7, 3],
    filter: [3, 3, 3, 4],
    strides: 1,
    pad: [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ],
  },
  { net: "odd: dilation 2", x: [1, 10, 10, 3], filter: [3, 3, 3, 5], strides: 1, pad: "same", dilations: 2 },
];

const DEPTHWISE_CASES: ConvCase[] = [
  { net: "efficientnet dw 3x3/1", x: [2, 24, 24, 16], filter: [3, 3, 16, 1], strides: 1, pad: "same" },
  { net: "efficientnet dw 3x3/2 valid", x: [2, 25, 25, 24], filter: [3, 3, 24, 1], strides: 2, pad: "valid" },
  { net: "efficientnet dw 5x5/2", x: [2, 13, 13, 40], filter: [5, 5, 40, 1], strides: 2, pad: "valid" },
  { net: "efficientnet dw 5x5/1", x: [2, 6, 6, 112], filter: [5, 5, 112, 1], strides: 1, pad: "same" },
  { net: "odd: multiplier 2", x: [2, 7, 7, 3], filter: [3, 3, 3, 2], strides: 2, pad: "same" },
];

interface PoolCase {
  net: string;
  x: [number, number, number, number];
  filterSize: number;
  strides: number;
  pad: "same" | "valid";
}

const POOL_CASES: PoolCase[] = [
  { net: "compact max 2x2", x: [1, 48, 48, 20], filterSize: 2, strides: 2, pad: "valid" },
  { net: "resnet stem max 3x3/2 same", x: [2, 27, 27, 64], filterSize: 3, strides: 2, pad: "same" },
  { net: "resnet head avg 2x2 same", x: [2, 2, 2, 512], filterSize: 2, strides: 2, pad: "same" },
  { net: "plain-cnn max 2x2 odd size", x: [2, 3, 3, 16], filterSize: 2, strides: 2, pad: "valid" },
  { net: "odd: 3x3/1 same", x: [3, 7, 5, 6], filterSize: 3, strides: 1, pad: "same" },
  { net: "2x2/2 same on odd sizes", x: [2, 5, 7, 3], filterSize: 2, strides: 2, pad: "same" },
  { net: "2x2/3, rows and columns no window covers", x: [2, 8, 7, 17], filterSize: 2, strides: 3, pad: "valid" },
];

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const named = (shape: number[], seed: number) => ({ shape, values: seededValues(size(shape), seed) });
const label = (c: { net: string; x: number[] }) => `${c.net} (x ${c.x})`;

function compareOnBackends(kernelName: string, inputs: Record<string, ReturnType<typeof named>>, attrs: object): void {
  const expected = runKernelOn("cpu", kernelName, inputs, attrs);
  tf.setBackend("wasm");
  expectNoLeaks(() => {
    expectClose(runKernelOn("wasm", kernelName, inputs, attrs), expected, TOLERANCE);
  });
}

beforeAll(async () => {
  const loaded = loadOnednnAddon();
  // No silent skip: the suite needs the addon built (npm run build:native, after apt-get install libdnnl-dev).
  expect(loaded.addon, loaded.addon ? "" : (loaded as { reason: string }).reason).not.toBeNull();
  const selected = await selectBackend({ prefer: "onednn" });
  expect(selected.backend).toBe("onednn");
});

describe("oneDNN convolution kernels match cpu", () => {
  for (const c of CONV_CASES) {
    const dilations = c.dilations ?? 1;
    const outShape = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, dilations, c.pad).outShape;
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: "NHWC", dilations };
    it(`Conv2D ${label(c)}`, () => {
      compareOnBackends("Conv2D", { x: named(c.x, 1), filter: named(c.filter, 2) }, attrs);
    });
    if (dilations !== 1) continue; // tfjs' own gradients take no dilation
    it(`Conv2DBackpropInput ${label(c)}`, () => {
      compareOnBackends(
        "Conv2DBackpropInput",
        { dy: named(outShape, 3), filter: named(c.filter, 4) },
        { ...attrs, inputShape: c.x },
      );
    });
    it(`Conv2DBackpropFilter ${label(c)}`, () => {
      compareOnBackends(
        "Conv2DBackpropFilter",
        { x: named(c.x, 5), dy: named(outShape, 6) },
        { ...attrs, filterShape: c.filter },
      );
    });
  }

  it("FusedConv2D with bias and relu, as inference runs a conv layer", () => {
    const [x, filter] = [named([2, 12, 12, 8], 7), named([3, 3, 8, 16], 8)];
    const bias = named([16], 9);
    compareOnBackends(
      "FusedConv2D",
      { x, filter, bias },
      { strides: 1, pad: "same", dataFormat: "NHWC", dilations: 1, activation: "relu" },
    );
  });
});

/** A fused conv with swish on onednn against cpu's linear conv through cpu's swish (cpu's fused kernels lack it). */
function compareSwishConv(kernel: string, inputs: Record<string, ReturnType<typeof named>>, attrs: object): void {
  const linear = runKernelOn("cpu", kernel, inputs, { ...attrs, activation: "linear" });
  const expected = runKernelOn("cpu", SWISH, { x: linear }, {});
  tf.setBackend("wasm");
  expectNoLeaks(() => expectClose(runKernelOn("wasm", kernel, inputs, { ...attrs, activation: "swish" }), expected));
}

describe("convolutions with swish fused (inference plans on onednn ask for it)", () => {
  const convs: Array<[string, [number, number, number, number], [number, number, number, number], Pad]> = [
    ["FusedConv2D", [2, 12, 12, 24], [1, 1, 24, 144], "same"],
    [
      "FusedDepthwiseConv2D",
      [2, 13, 13, 40],
      [5, 5, 40, 1],
      [
        [0, 0],
        [1, 2],
        [1, 2],
        [0, 0],
      ],
    ],
  ];
  for (const [kernel, xShape, filterShape, pad] of convs) {
    it(`${kernel} [${xShape}] * [${filterShape}] with bias: swish(cpu's linear conv)`, () => {
      const inputs = {
        x: named(xShape, 61),
        filter: named(filterShape, 62),
        bias: named([kernel === "FusedConv2D" ? filterShape[3] : filterShape[2] * filterShape[3]], 63),
      };
      compareSwishConv(kernel, inputs, { strides: 2, pad, dataFormat: "NHWC", dilations: 1 });
    });
  }
});

describe("convolutions as im2col + GEMM (the candidate for small maps) match cpu", () => {
  // Forced, so every direction runs it whatever the timing says; batches one larger than above (fresh primitives).
  beforeAll(() => loadOnednnAddon().addon!.preferImplementation("im2col"));
  afterAll(() => loadOnednnAddon().addon!.preferImplementation(""));
  const small = CONV_CASES.filter((c) => {
    const info = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, c.dilations ?? 1, c.pad);
    return info.outHeight * info.outWidth <= 64;
  }).map((c) => ({ ...c, x: [c.x[0] + 1, c.x[1], c.x[2], c.x[3]] as ConvCase["x"] }));
  it("covers the small-map cases", () => expect(small.length).toBeGreaterThanOrEqual(6));
  for (const c of small) {
    const dilations = c.dilations ?? 1;
    const outShape = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, dilations, c.pad).outShape;
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: "NHWC", dilations };
    it(`Conv2D, FusedConv2D with bias and relu, sigmoid or swish, and both gradients ${label(c)}`, () => {
      compareOnBackends("Conv2D", { x: named(c.x, 51), filter: named(c.filter, 52) }, attrs);
      const fusedInputs = { x: named(c.x, 54), filter: named(c.filter, 55), bias: named([c.filter[3]], 53) };
      for (const activation of ["relu", "sigmoid"])
        compareOnBackends("FusedConv2D", fusedInputs, { ...attrs, activation });
      compareSwishConv("FusedConv2D", fusedInputs, attrs);
      if (dilations === 1) {
        compareOnBackends(
          "Conv2DBackpropInput",
          { dy: named(outShape, 56), filter: named(c.filter, 57) },
          {
            ...attrs,
            inputShape: c.x,
          },
        );
        compareOnBackends(
          "Conv2DBackpropFilter",
          { x: named(c.x, 58), dy: named(outShape, 59) },
          {
            ...attrs,
            filterShape: c.filter,
          },
        );
      }
      const impls = loadOnednnAddon().addon!.implementations();
      for (const kind of ["convolution forward", "convolution backward data", "convolution backward weights"]) {
        expect(impls[kind].join(), kind).toMatch(/im2col/);
      }
    });
  }
});

describe("depthwise weights gradients by faceloop's direct loop match cpu", () => {
  beforeAll(() => loadOnednnAddon().addon!.preferImplementation("direct:faceloop"));
  afterAll(() => loadOnednnAddon().addon!.preferImplementation(""));
  const cases = DEPTHWISE_CASES.filter((c) => c.filter[3] === 1).map((c) => ({
    ...c,
    x: [c.x[0] + 1, c.x[1], c.x[2], c.x[3]] as ConvCase["x"],
  }));
  for (const c of cases) {
    it(`DepthwiseConv2dNativeBackpropFilter ${label(c)}`, () => {
      const outShape = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, 1, c.pad, undefined, true).outShape;
      compareOnBackends(
        "DepthwiseConv2dNativeBackpropFilter",
        { x: named(c.x, 61), dy: named(outShape, 62) },
        { strides: c.strides, pad: c.pad, dilations: 1, filterShape: c.filter },
      );
      expect(loadOnednnAddon().addon!.implementations()["depthwise convolution backward weights"].join()).toMatch(
        /direct:faceloop/,
      );
    });
  }
});

describe("bf16 convolutions", () => {
  // AMX (Intel Sapphire Rapids and later) is where bf16 pays; elsewhere the kernels must keep computing in f32.
  const amx = /\bamx_bf16\b/.test(readFileSync("/proc/cpuinfo", "utf8"));
  // Larger than the cpu-reference cases above, so AMX has work: compact's first 20-channel stage and ResNet's last.
  const cases: ConvCase[] = [
    { net: "compact stage 1b", x: [4, 24, 24, 20], filter: [3, 3, 20, 20], strides: 1, pad: "same" },
    { net: "resnet stage 4", x: [4, 2, 2, 512], filter: [3, 3, 512, 512], strides: 1, pad: "same" },
  ];
  const expectation = amx ? "bfloat16 on AMX, within bf16 rounding" : "no AMX here, so f32 as before";
  type Result = ReturnType<typeof runKernelOn>;
  interface Direction {
    kernel: string;
    /** The implementations() entry this direction records. */
    kind: string;
    inputs: Record<string, ReturnType<typeof named>>;
    attrs: object;
    /** Runs a kernel call at bf16: inference precision for the forward, training precision for the gradients. */
    run: (f: () => Result) => Result;
  }
  const directions = (c: ConvCase): Direction[] => {
    const outShape = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, 1, c.pad).outShape;
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: "NHWC", dilations: 1 };
    return [
      {
        kernel: "FusedConv2D",
        kind: "convolution forward",
        inputs: { x: named(c.x, 21), filter: named(c.filter, 22), bias: named([c.filter[3]], 23) },
        attrs: { ...attrs, activation: "relu" },
        run: (f) => withInferencePrecision("bf16", f),
      },
      {
        kernel: "Conv2DBackpropInput",
        kind: "convolution backward data",
        inputs: { dy: named(outShape, 24), filter: named(c.filter, 25) },
        attrs: { ...attrs, inputShape: c.x },
        run: withTraining,
      },
      {
        kernel: "Conv2DBackpropFilter",
        kind: "convolution backward weights",
        inputs: { x: named(c.x, 26), dy: named(outShape, 27) },
        attrs: { ...attrs, filterShape: c.filter },
        run: withTraining,
      },
    ];
  };
  const withTraining = (f: () => Result) => {
    const before = setTrainingPrecision("bf16");
    try {
      return f();
    } finally {
      setTrainingPrecision(before);
    }
  };

  describe("oneDNN's first choice (bf16 where AMX has code)", () => {
    beforeAll(() => loadOnednnAddon().addon!.setAutotune(false));
    afterAll(() => loadOnednnAddon().addon!.setAutotune(true));
    for (const c of cases) {
      for (const d of directions(c)) {
        it(`${d.kernel} ${label(c)}: ${expectation}`, () => {
          const expected = runKernelOn("cpu", d.kernel, d.inputs, d.attrs);
          const actual = d.run(() => runKernelOn("wasm", d.kernel, d.inputs, d.attrs));
          const error = relativeError(actual.values, expected.values);
          if (amx) {
            // bfloat16 keeps 8 mantissa bits: each product is off by up to 2^-8 relative, sums average that down.
            expect(error).toBeLessThan(2e-2);
            expect(error).toBeGreaterThan(1e-5); // it did round: an f32 result would be within 1e-6
            expect(loadOnednnAddon().addon!.implementations()[d.kind].join()).toMatch(/amx_bf16/);
          } else {
            expect(error).toBeLessThan(TOLERANCE);
          }
        });
      }
    }
  });

  describe("tuned: the faster of bf16 and f32 for each shape", () => {
    for (const c of cases) {
      for (const d of directions({ ...c, x: [c.x[0] + 1, ...c.x.slice(1)] as ConvCase["x"] })) {
        it(`${d.kernel} ${label(c)} (batch ${c.x[0] + 1}): within bf16 rounding either way`, () => {
          const expected = runKernelOn("cpu", d.kernel, d.inputs, d.attrs);
          const actual = d.run(() => runKernelOn("wasm", d.kernel, d.inputs, d.attrs));
          expect(relativeError(actual.values, expected.values)).toBeLessThan(amx ? 2e-2 : TOLERANCE);
        });
      }
    }
  });
});

describe("oneDNN depthwise convolution kernels match cpu", () => {
  for (const c of DEPTHWISE_CASES) {
    const outShape = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, 1, c.pad, undefined, true).outShape;
    const attrs = { strides: c.strides, pad: c.pad, dilations: 1 };
    it(`DepthwiseConv2dNative ${label(c)}`, () => {
      compareOnBackends("DepthwiseConv2dNative", { x: named(c.x, 11), filter: named(c.filter, 12) }, attrs);
    });
    it(`DepthwiseConv2dNativeBackpropInput ${label(c)}`, () => {
      compareOnBackends(
        "DepthwiseConv2dNativeBackpropInput",
        { dy: named(outShape, 13), filter: named(c.filter, 14) },
        { ...attrs, inputShape: c.x },
      );
    });
    it(`DepthwiseConv2dNativeBackpropFilter ${label(c)}`, () => {
      compareOnBackends(
        "DepthwiseConv2dNativeBackpropFilter",
        { x: named(c.x, 15), dy: named(outShape, 16) },
        { ...attrs, filterShape: c.filter },
      );
    });
  }
});

describe("oneDNN pooling kernels match cpu", () => {
  for (const c of POOL_CASES) {
    const attrs = { filterSize: c.filterSize, strides: c.strides, pad: c.pad };
    const info = tf.backend_util.computePool2DInfo(c.x, c.filterSize, c.strides, 1, c.pad);
    for (const kind of ["MaxPool", "AvgPool"]) {
      it(`${kind} ${label(c)}`, () => {
        compareOnBackends(kind, { x: named(c.x, 21) }, attrs);
      });
    }
    it(`AvgPoolGrad ${label(c)}`, () => {
      compareOnBackends("AvgPoolGrad", { dy: named(info.outShape, 22), input: named(c.x, 23) }, attrs);
    });
    it(`MaxPoolGrad ${label(c)}`, () => {
      const input = named(c.x, 24);
      const output = runKernelOn("cpu", "MaxPool", { x: input }, attrs);
      compareOnBackends("MaxPoolGrad", { dy: named(info.outShape, 25), input, output }, attrs);
    });
    it(`MaxPoolGrad ${label(c)}, after a ReLU (windows with tied maxima)`, () => {
      // Zeros and values on a coarse grid: a window's max is often in several pixels and dy must go to the first.
      const relu = named(c.x, 26);
      const input = { ...relu, values: relu.values.map((v) => Math.round(Math.max(0, v) * 4) / 4) };
      const output = runKernelOn("cpu", "MaxPool", { x: input }, attrs);
      compareOnBackends("MaxPoolGrad", { dy: named(info.outShape, 27), input, output }, attrs);
    });
  }
});

describe("oneDNN batch norm and matmul kernels match cpu", () => {
  const shapes = [
    [1, 48, 48, 20],
    [3, 6, 6, 160],
    [2, 3, 3, 512],
    [64, 256],
    [5, 7],
  ];
  for (const shape of shapes) {
    const channels = shape[shape.length - 1];
    const perChannel = (seed: number, shift = 0) => {
      const v = named([channels], seed);
      return { shape: v.shape, values: v.values.map((x) => x + shift) };
    };
    it(`FusedBatchNorm [${shape}]`, () => {
      compareOnBackends(
        "FusedBatchNorm",
        {
          x: named(shape, 31),
          mean: perChannel(32),
          variance: perChannel(33, 1.5),
          offset: perChannel(34),
          scale: perChannel(35),
        },
        { varianceEpsilon: 1e-3 },
      );
    });
    it(`${BATCH_NORM_STATS} and ${BATCH_NORM_GRAD} [${shape}]`, () => {
      const inputs = { x: named(shape, 36) };
      for (const output of [0, 1]) {
        const expected = runKernelOnOutput("cpu", BATCH_NORM_STATS, inputs, {}, output);
        expectClose(runKernelOnOutput("wasm", BATCH_NORM_STATS, inputs, {}, output), expected, TOLERANCE);
      }
      const gradInputs = {
        dy: named(shape, 37),
        x: inputs.x,
        mean: runKernelOnOutput("cpu", BATCH_NORM_STATS, inputs, {}, 0),
        variance: runKernelOnOutput("cpu", BATCH_NORM_STATS, inputs, {}, 1),
        gamma: perChannel(38),
      };
      for (const output of [0, 1, 2]) {
        const expected = runKernelOnOutput("cpu", BATCH_NORM_GRAD, gradInputs, { epsilon: 1e-3 }, output);
        const actual = runKernelOnOutput("wasm", BATCH_NORM_GRAD, gradInputs, { epsilon: 1e-3 }, output);
        expectClose(actual, expected, TOLERANCE);
      }
    });
  }

  const matMuls: Array<[number[], number[], boolean, boolean]> = [
    [[64, 512], [512, 7], false, false], // resnet head, forward
    [[64, 512], [64, 7], true, false], // its weight gradient
    [[64, 7], [512, 7], false, true], // its input gradient
    [[3, 5, 4], [3, 4, 6], false, false],
    [[1, 5, 4], [3, 6, 4], false, true],
  ];
  for (const [a, b, transposeA, transposeB] of matMuls) {
    it(`BatchMatMul [${a}] x [${b}] transposeA ${transposeA} transposeB ${transposeB}`, () => {
      compareOnBackends("BatchMatMul", { a: named(a, 41), b: named(b, 42) }, { transposeA, transposeB });
    });
  }
});

describe("oneDNN batch-norm statistics, one pass", () => {
  it("keep a small variance under a large mean (no cancellation)", () => {
    const shape = [4, 6, 6, 16];
    const x = named(shape, 39);
    const offset = { shape, values: x.values.map((v) => 100 + 0.01 * v) }; // variance ~3e-5 under a mean of 100
    for (const output of [0, 1]) {
      const expected = runKernelOnOutput("cpu", BATCH_NORM_STATS, { x: offset }, {}, output);
      expectClose(runKernelOnOutput("wasm", BATCH_NORM_STATS, { x: offset }, {}, output), expected, 1e-3);
    }
  });
});

describe("oneDNN element-wise activations match cpu", () => {
  // Sizes below and above the threading thresholds (16,384 and 65,536 elements), odd ones so no lane is left out.
  for (const shape of [
    [3, 5, 7],
    [64, 48, 48, 20],
    [1, 257],
    [7, 48, 49],
  ]) {
    it(`Relu and ${RELU_GRAD} [${shape}]`, () => {
      const x = named(shape, 41);
      compareOnBackends("Relu", { x }, {});
      const y = runKernelOn("cpu", "Relu", { x }, {});
      compareOnBackends(RELU_GRAD, { dy: named(shape, 42), y }, {});
    });
    it(`${SWISH} and ${SWISH_GRAD} [${shape}]`, () => {
      const x = { shape, values: named(shape, 43).values.map((v) => 8 * v) };
      compareOnBackends(SWISH, { x }, {});
      compareOnBackends(SWISH_GRAD, { dy: named(shape, 44), x }, {});
    });
  }
});

describe("oneDNN multiply, add and subtract match cpu", () => {
  const cases: Array<[number[], number[], string]> = [
    [[64, 12, 12, 48], [64, 12, 12, 48], "same shapes"],
    [[64, 12, 12, 48], [64, 1, 1, 48], "squeeze-and-excite's broadcast"],
    [[1, 1, 1, 48], [8, 6, 6, 48], "the smaller one first"],
    [[5, 300], [1], "a scalar"],
    [[3, 4], [3, 1], "a column"],
    [[2, 1], [1, 2], "an outer product (falls back to wasm)"],
  ];
  for (const [a, b, what] of cases) {
    it(`[${a}] and [${b}]: ${what}`, () => {
      // Sub with the larger operand second takes the reversed subtraction.
      for (const kernel of ["Multiply", "Add", "Sub"]) compareOnBackends(kernel, { a: named(a, 45), b: named(b, 46) }, {});
    });
  }
});

describe("oneDNN mean and sum match cpu", () => {
  const cases: Array<[number[], number[], boolean, string]> = [
    [[64, 12, 12, 136], [1, 2], true, "global average pooling, kept dims"],
    [[3, 7, 5, 70], [1, 2], false, "global average pooling, odd sizes"],
    [[1, 6, 6, 1536], [2, 1], false, "one image (threads split the channels), axes unsorted"],
    [[5, 300], [0], false, "the first axis"],
    [[64, 24, 24, 40], [0, 1, 2], false, "a bias gradient's all but the last (threads split the rows)"],
    [[4, 9, 10], [-1], true, "the last axis"],
    [[2, 3, 4], [0, 2], false, "axes apart (falls back to wasm)"],
  ];
  for (const [shape, axis, keepDims, what] of cases) {
    it(`[${shape}] over ${axis}: ${what}`, () => {
      for (const kernel of ["Mean", "Sum"]) compareOnBackends(kernel, { x: named(shape, 47) }, { axis, keepDims });
    });
  }
});

describe("the oneDNN implementations", () => {
  it("are AVX-512 or AVX2 code, not the reference loops", () => {
    const implementations = Object.values(loadOnednnAddon().addon!.implementations()).flat();
    expect(implementations.length).toBeGreaterThan(5);
    for (const impl of implementations) expect(impl).not.toMatch(/^ref|:ref|gemm:ref/);
  });
});

function runKernelOnOutput(
  backendName: string,
  kernelName: string,
  inputs: Record<string, { shape: number[]; values: Float32Array }>,
  attrs: object,
  output: number,
): { shape: number[]; values: Float32Array } {
  tf.setBackend(backendName);
  const tensors: Record<string, tf.Tensor> = {};
  for (const [name, { shape, values }] of Object.entries(inputs)) tensors[name] = tf.tensor(values, shape);
  const outs = tf.engine().runKernel(kernelName, tensors, attrs as tf.NamedAttrMap) as tf.Tensor[];
  const result = { shape: outs[output].shape, values: outs[output].dataSync() as Float32Array };
  tf.dispose([...outs, ...Object.values(tensors)]);
  return result;
}

describe("the native AdamW update", () => {
  it("moves weights and moments as lib/training's composed AdamW does on cpu", async () => {
    const { createAdamW } = await import("../../training/adamw");
    const config = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0.05 };
    const run = (backendName: string) => {
      tf.setBackend(backendName);
      const shapes = [[3, 3, 4, 8], [8], [70000]];
      const variables = shapes.map((shape, i) => tf.variable(tf.tensor(seededValues(size(shape), 50 + i), shape)));
      const optimizer = createAdamW(config as never, variables, [true, false, true]);
      for (let step = 0; step < 3; step++) {
        const grads = shapes.map((shape, i) => tf.tensor(seededValues(size(shape), 60 + 10 * step + i), shape));
        optimizer.step(grads, config.learningRate);
        tf.dispose(grads);
      }
      const out = [...variables, ...optimizer.moments().m, ...optimizer.moments().v].map((t) => ({
        shape: t.shape,
        values: t.dataSync() as Float32Array,
      }));
      optimizer.dispose();
      tf.dispose(variables);
      return out;
    };
    const expected = run("cpu");
    const actual = run("wasm");
    expect(tf.getKernel("FaceloopAdamWUpdate", "wasm")).toBeDefined();
    actual.forEach((a, i) => expectClose(a, expected[i], TOLERANCE));
  });
});
