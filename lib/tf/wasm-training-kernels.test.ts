import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "./select-backend";
import { expectClose, expectNoLeaks, relativeError, runKernelOn, seededValues } from "./test-support";

type Pad = "same" | "valid" | tf.backend_util.ExplicitPadding;
interface ConvCase {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: Pad;
}

const CONV_CASES: ConvCase[] = [
  { x: [2, 7, 7, 3], filter: [3, 3, 3, 4], strides: 1, pad: "same" },
  { x: [2, 7, 7, 3], filter: [3, 3, 3, 4], strides: 2, pad: "same" },
  { x: [2, 8, 8, 3], filter: [3, 3, 3, 4], strides: 2, pad: "same" },
  { x: [2, 8, 9, 3], filter: [3, 2, 3, 4], strides: [2, 3], pad: "valid" },
  { x: [2, 9, 9, 2], filter: [1, 1, 2, 5], strides: 2, pad: "valid" },
  { x: [1, 10, 10, 2], filter: [7, 7, 2, 3], strides: 2, pad: "same" },
  { x: [3, 6, 6, 2], filter: [3, 3, 2, 2], strides: 1, pad: "valid" },
  { x: [2, 11, 11, 4], filter: [5, 5, 4, 3], strides: 2, pad: "valid" },
  {
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
  { x: [4, 12, 12, 16], filter: [3, 3, 16, 24], strides: 1, pad: "same" },
];

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const named = (shape: number[], seed: number) => ({ shape, values: seededValues(size(shape), seed) });

function compareOnBackends(kernelName: string, inputs: Record<string, ReturnType<typeof named>>, attrs: object): void {
  const expected = runKernelOn("cpu", kernelName, inputs, attrs);
  tf.setBackend("wasm");
  expectNoLeaks(() => {
    const actual = runKernelOn("wasm", kernelName, inputs, attrs);
    expectClose(actual, expected);
  });
}

beforeAll(async () => {
  const selected = await selectBackend({ prefer: "wasm" });
  expect(selected.backend).toBe("wasm");
});

describe("Conv2D gradient kernels on wasm match cpu", () => {
  for (const c of CONV_CASES) {
    const outShape = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, 1, c.pad).outShape;
    const label = `x ${c.x} filter ${c.filter} strides ${c.strides} pad ${JSON.stringify(c.pad)}`;
    it(`Conv2DBackpropFilter ${label}`, () => {
      compareOnBackends(
        "Conv2DBackpropFilter",
        { x: named(c.x, 1), dy: named(outShape, 2) },
        { strides: c.strides, pad: c.pad, dataFormat: "NHWC", filterShape: c.filter },
      );
    });
    it(`Conv2DBackpropInput ${label}`, () => {
      compareOnBackends(
        "Conv2DBackpropInput",
        { dy: named(outShape, 3), filter: named(c.filter, 4) },
        { strides: c.strides, pad: c.pad, dataFormat: "NHWC", inputShape: c.x },
      );
    });
  }
});

describe("DepthwiseConv2dNative gradient kernels on wasm match cpu", () => {
  for (const c of CONV_CASES.filter((k) => typeof k.pad === "string")) {
    for (const multiplier of [1, 2]) {
      const filter: [number, number, number, number] = [c.filter[0], c.filter[1], c.x[3], multiplier];
      const outShape = tf.backend_util.computeConv2DInfo(c.x, filter, c.strides, 1, c.pad, undefined, true).outShape;
      const label = `x ${c.x} filter ${filter} strides ${c.strides} pad ${c.pad}`;
      it(`DepthwiseConv2dNativeBackpropFilter ${label}`, () => {
        compareOnBackends(
          "DepthwiseConv2dNativeBackpropFilter",
          { x: named(c.x, 5), dy: named(outShape, 6) },
          { strides: c.strides, dilations: 1, pad: c.pad, filterShape: filter },
        );
      });
      it(`DepthwiseConv2dNativeBackpropInput ${label}`, () => {
        compareOnBackends(
          "DepthwiseConv2dNativeBackpropInput",
          { dy: named(outShape, 7), filter: named(filter, 8) },
          { strides: c.strides, dilations: 1, pad: c.pad, inputShape: c.x },
        );
      });
    }
  }

  // The cpu kernels ignore dilations (tfjs never asks for dilated gradients), so check against a direct sum.
  it("handles dilations, checked against a direct sum", () => {
    const x = named([2, 9, 9, 3], 9);
    const filter: [number, number, number, number] = [3, 3, 3, 2];
    const dilation = 2;
    const info = tf.backend_util.computeConv2DInfo([2, 9, 9, 3], filter, 1, dilation, "same", undefined, true);
    const dy = named(info.outShape, 10);
    const w = named(filter, 11);
    const attrs = { strides: 1, dilations: dilation, pad: "same" };
    const gotFilter = runKernelOn(
      "wasm",
      "DepthwiseConv2dNativeBackpropFilter",
      { x, dy },
      { ...attrs, filterShape: filter },
    );
    const gotInput = runKernelOn(
      "wasm",
      "DepthwiseConv2dNativeBackpropInput",
      { dy, filter: w },
      { ...attrs, inputShape: x.shape },
    );
    const dFilter = new Float32Array(size(filter));
    const dInput = new Float32Array(size(x.shape));
    const [, h, wd, ch] = x.shape;
    const m = filter[3];
    for (let n = 0; n < 2; n++)
      for (let i = 0; i < info.outHeight; i++)
        for (let j = 0; j < info.outWidth; j++)
          for (let a = 0; a < 3; a++)
            for (let b = 0; b < 3; b++) {
              const r = i + a * dilation - info.padInfo.top;
              const s = j + b * dilation - info.padInfo.left;
              if (r < 0 || r >= h || s < 0 || s >= wd) continue;
              for (let c = 0; c < ch; c++)
                for (let q = 0; q < m; q++) {
                  const g = dy.values[((n * info.outHeight + i) * info.outWidth + j) * ch * m + c * m + q];
                  const xi = ((n * h + r) * wd + s) * ch + c;
                  const fi = ((a * 3 + b) * ch + c) * m + q;
                  dFilter[fi] += x.values[xi] * g;
                  dInput[xi] += w.values[fi] * g;
                }
            }
    expect(relativeError(gotFilter.values, dFilter)).toBeLessThan(1e-4);
    expect(relativeError(gotInput.values, dInput)).toBeLessThan(1e-4);
  });
});

describe("pooling gradients on wasm match cpu", () => {
  const cases = [
    { x: [2, 8, 8, 5], filterSize: 2, strides: 2, pad: "valid" },
    { x: [2, 9, 9, 3], filterSize: 3, strides: 2, pad: "same" },
    { x: [1, 7, 6, 4], filterSize: [3, 2], strides: [1, 2], pad: "valid" },
    { x: [2, 5, 5, 2], filterSize: 2, strides: 1, pad: "same" },
  ] as const;
  for (const c of cases) {
    const info = tf.backend_util.computePool2DInfo(
      c.x as unknown as [number, number, number, number],
      c.filterSize as number | [number, number],
      c.strides as number | [number, number],
      1,
      c.pad,
    );
    const attrs = { filterSize: c.filterSize, strides: c.strides, pad: c.pad };
    it(`MaxPoolGrad x ${c.x} filter ${c.filterSize} strides ${c.strides} ${c.pad}, with ties`, () => {
      // Clamped at zero like a ReLU output, so windows hold ties and the first-maximum rule matters.
      const x = named([...c.x], 12);
      x.values = x.values.map((v) => Math.max(0, v));
      const dy = named(info.outShape, 13);
      const expected = runKernelOn("cpu", "MaxPoolGrad", { dy, input: x, output: named(info.outShape, 0) }, attrs);
      tf.setBackend("wasm");
      expectNoLeaks(() => {
        const output = runKernelOn("wasm", "MaxPool", { x }, attrs);
        const actual = runKernelOn("wasm", "MaxPoolGrad", { dy, input: x, output }, attrs);
        expectClose(actual, expected);
      });
    });
    it(`AvgPoolGrad (shipped) x ${c.x} filter ${c.filterSize} strides ${c.strides} ${c.pad}`, () => {
      compareOnBackends("AvgPoolGrad", { dy: named(info.outShape, 14), input: named([...c.x], 15) }, attrs);
    });
  }
});

describe("Cast on wasm", () => {
  it("shares the input's buffer when the dtype stays, and converts otherwise", () => {
    tf.setBackend("wasm");
    const x = tf.tensor([1.5, -2.5, 3.25]);
    const buffers = tf.engine().backend.numDataIds();
    const same = tf.engine().runKernel("Cast", { x }, { dtype: "float32" }) as tf.Tensor;
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
    const ints = tf.engine().runKernel("Cast", { x }, { dtype: "int32" }) as tf.Tensor;
    expect(tf.engine().backend.numDataIds()).toBe(buffers + 1);
    x.dispose(); // the shared buffer lives on while the cast result holds it
    expect(Array.from(same.dataSync())).toEqual([1.5, -2.5, 3.25]);
    expect(Array.from(ints.dataSync())).toEqual([1, -2, 3]);
    tf.dispose([same, ints]);
    expect(tf.engine().backend.numDataIds()).toBe(buffers - 1);
  });
});

describe("wrapped shipped kernels on wasm match cpu", () => {
  const x = named([4, 5, 6, 7], 16);
  for (const [label, perChannel] of [
    ["per-channel statistics", [7]],
    ["broadcast-shaped statistics", [1, 1, 1, 7]],
  ] as const) {
    it(`FusedBatchNorm with ${label}`, () => {
      const stats = {
        mean: named([...perChannel], 17),
        offset: named([...perChannel], 18),
        scale: named([...perChannel], 19),
      };
      const variance = named([...perChannel], 20);
      variance.values = variance.values.map((v) => v + 1.5);
      compareOnBackends("FusedBatchNorm", { x, ...stats, variance }, { varianceEpsilon: 1e-3 });
    });
  }
  it("FusedBatchNorm without offset and scale, and with full-size statistics (shipped path)", () => {
    const variance = named([7], 21);
    variance.values = variance.values.map((v) => v + 1.5);
    compareOnBackends("FusedBatchNorm", { x, mean: named([7], 22), variance }, { varianceEpsilon: 1e-3 });
    const fullVariance = named([4, 5, 6, 7], 23);
    fullVariance.values = fullVariance.values.map((v) => v + 1.5);
    compareOnBackends(
      "FusedBatchNorm",
      { x, mean: named([4, 5, 6, 7], 24), variance: fullVariance },
      { varianceEpsilon: 1e-3 },
    );
  });
  for (const [axis, keepDims] of [
    [[0, 1, 2], false],
    [[2, 0, 1], true],
    [[1, 2], false],
    [-1, false],
    [[0, 1, 2, 3], false],
  ] as const) {
    it(`Sum over ${axis}${keepDims ? " keeping dims" : ""}`, () => {
      compareOnBackends("Sum", { x }, { axis, keepDims });
    });
  }
});
