import * as tf from "@tensorflow/tfjs";
import { BATCH_NORM_GRAD, BATCH_NORM_STATS } from "../batch-norm-kernel-names";
import { RELU_GRAD } from "../relu-gradient";
import { SWISH, SWISH_GRAD } from "../swish";
import type { OnednnAddon } from "./load-onednn-addon";

type TensorInfo = tf.TensorInfo;
type Conv2DInfo = tf.backend_util.Conv2DInfo;

interface WasmBackend {
  makeOutput(shape: number[], dtype: "float32"): TensorInfo;
  dataIdMap: { get(dataId: tf.DataId): { memoryOffset: number } };
  wasm: { HEAPU8: Uint8Array; wasmMemory?: WebAssembly.Memory };
}

/** What a kernel body gets: the addon, outputs already allocated, and byte offsets of tensors in the wasm heap. */
interface NativeCall {
  addon: OnednnAddon;
  heap: Uint8Array;
  offset(info: TensorInfo): number;
}

/** A native kernel returns null to hand the call to the kernel it replaced (an unsupported layout or dtype). */
type NativeKernelFunc = (
  call: () => NativeCall,
  args: { inputs: Record<string, TensorInfo | undefined>; attrs: Record<string, unknown>; backend: WasmBackend },
) => TensorInfo | TensorInfo[] | null;

const NATIVE = Symbol.for("faceloop.onednn.kernel");
/** The kernels the native ones replaced, to put back when plain wasm is asked for later in the same process. */
const replaced = new Map<string, tf.KernelConfig | undefined>();

/**
 * Registers oneDNN kernels on the wasm backend: they read and write tensors in place in its heap, so every other kernel
 * (element-wise ops, reductions, the optimizer) stays on wasm and no data is copied between the two. Each replaces
 * the kernel registered before it and calls that one for inputs it does not take. Returns the kernel names.
 */
export function registerOnednnKernels(addon: OnednnAddon): string[] {
  const names: string[] = [];
  for (const [kernelName, body] of Object.entries(KERNELS)) {
    const previous = tf.getKernel(kernelName, "wasm");
    if ((previous as unknown as Record<symbol, unknown> | undefined)?.[NATIVE]) {
      names.push(kernelName);
      continue;
    }
    const config: tf.KernelConfig = {
      kernelName,
      backendName: "wasm",
      setupFunc: previous?.setupFunc,
      kernelFunc: (args) => {
        const backend = args.backend as unknown as WasmBackend;
        const call = (): NativeCall => {
          // After the outputs are allocated: an allocation can grow (and so replace) the heap's buffer.
          const buffer = backend.wasm.wasmMemory?.buffer ?? backend.wasm.HEAPU8.buffer;
          return {
            addon,
            heap: new Uint8Array(buffer),
            offset: (info) => backend.dataIdMap.get(info.dataId).memoryOffset,
          };
        };
        let result: ReturnType<NativeKernelFunc>;
        try {
          result = body(call, {
            inputs: args.inputs as Record<string, TensorInfo | undefined>,
            attrs: (args.attrs ?? {}) as Record<string, unknown>,
            backend,
          });
        } catch (error) {
          const shapes = Object.entries(args.inputs).map(([name, info]) => `${name} [${info?.shape}]`);
          throw new Error(`native ${kernelName} (${shapes.join(", ")}): ${(error as Error).message}`);
        }
        if (result != null) return result;
        if (previous == null) throw new Error(`${kernelName}: no fallback kernel for these inputs`);
        return previous.kernelFunc(args);
      },
    };
    (config as unknown as Record<symbol, unknown>)[NATIVE] = true;
    replaced.set(kernelName, previous);
    if (previous != null) tf.unregisterKernel(kernelName, "wasm");
    tf.registerKernel(config);
    names.push(kernelName);
  }
  return names;
}

/**
 * The backend name to report: oneDNN's kernels run on the wasm backend's memory, so tfjs calls it "wasm" either way,
 * and a run's record, log and the leaderboard should say which kernels did the work.
 */
export function reportedBackendName(): string {
  const name = tf.getBackend();
  return name === "wasm" && replaced.size > 0 ? "onednn" : name;
}

/** Puts the wasm kernels back (selectBackend, when plain wasm is chosen after onednn). */
export function unregisterOnednnKernels(): void {
  for (const [kernelName, previous] of replaced) {
    tf.unregisterKernel(kernelName, "wasm");
    if (previous != null) tf.registerKernel(previous);
  }
  replaced.clear();
}

/**
 * Runs one small training step's kernels so oneDNN picks its implementations, and returns them with the addon's info:
 * `jit:avx512_core` and `brg:avx512_core` are the AVX-512 code paths, `ref` or `gemm:ref` would mean a slow fallback.
 */
export function describeOnednn(addon: OnednnAddon): { info: ReturnType<OnednnAddon["info"]>; implementations: string } {
  tf.tidy(() => {
    const x = tf.randomNormal([2, 12, 12, 16]);
    const filter = tf.randomNormal([3, 3, 16, 16]);
    const depthwise = tf.randomNormal([3, 3, 16, 1]);
    const loss = (...[input, w, d]: tf.Tensor[]) => {
      const y = tf.conv2d(input as tf.Tensor4D, w as tf.Tensor4D, 1, "same");
      const z = tf.depthwiseConv2d(tf.maxPool(y, 2, 2, "same"), d as tf.Tensor4D, 1, "same");
      return tf.sum(tf.avgPool(z, 2, 2, "valid"));
    };
    tf.grads(loss)([x, filter, depthwise]);
  });
  return { info: addon.info(), implementations: formatImplementations(addon.implementations()) };
}

export function formatImplementations(implementations: Record<string, string[]>): string {
  return Object.entries(implementations)
    .map(([kind, impls]) => `${kind} ${impls.join("/")}`)
    .join(", ");
}

/**
 * What convolutions compute in: f32 (the default), or bf16 where oneDNN has AMX code for the shape (Intel Sapphire
 * Rapids and later) and it is the faster candidate: inputs and weights rounded to bfloat16's 8-bit mantissa, products
 * summed in f32, results in f32.
 * In training that is mixed precision as TensorFlow's and PyTorch's bf16 autocast do it on these CPUs: weights, their
 * updates, batch norms and every other op stay f32; only the convolutions' three products (forward, gradient of the
 * input, gradient of the weights) read bf16. Elsewhere bf16 is ignored (f32 is faster there).
 */
export type ConvPrecision = "f32" | "bf16";
let inferencePrecision: ConvPrecision = "f32";
let trainingPrecision: ConvPrecision = "f32";

/** Runs `run` (synchronous: kernels run as it calls them) with inference convolutions in `precision`. */
export function withInferencePrecision<T>(precision: ConvPrecision, run: () => T): T {
  const before = inferencePrecision;
  inferencePrecision = precision;
  try {
    return run();
  } finally {
    inferencePrecision = before;
  }
}

/**
 * Sets what training convolutions (those run under a gradient tape, and their gradients) compute in, for the process,
 * until set again; returns the previous setting so a caller can restore it.
 */
export function setTrainingPrecision(precision: ConvPrecision): ConvPrecision {
  const before = trainingPrecision;
  trainingPrecision = precision;
  return before;
}

const allFloat = (...infos: Array<TensorInfo | undefined>) =>
  infos.every((info) => info == null || (info.dtype === "float32" && tf.util.sizeFromShape(info.shape) > 0));

/** The addon's convolution parameters; groups = channels for depthwise. */
function convParams(info: Conv2DInfo, groups: number, activation = 0): number[] {
  const { top, left, bottom, right } = info.padInfo;
  return [
    info.batchSize,
    info.inChannels,
    info.inHeight,
    info.inWidth,
    info.outChannels,
    info.filterHeight,
    info.filterWidth,
    info.outHeight,
    info.outWidth,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    top,
    left,
    bottom,
    right,
    groups,
    activation,
  ];
}

function poolParams(info: tf.backend_util.Conv2DInfo): number[] | null {
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) return null;
  const { top, left, bottom, right } = info.padInfo;
  return [
    info.batchSize,
    info.inChannels,
    info.inHeight,
    info.inWidth,
    info.outHeight,
    info.outWidth,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    top,
    left,
    bottom,
    right,
  ];
}

/**
 * Fused activations oneDNN runs as a post-op; others go to the wasm kernel. Swish is one tfjs's own fused kernels do
 * not know: only inference plans made for this backend ask for it (see `nativeFusedActivations`).
 */
const ACTIVATIONS: Record<string, number> = { linear: 0, relu: 1, relu6: 2, elu: 3, sigmoid: 4, swish: 5 };

/** The activations the active backend's fused convolutions take beyond tfjs's own: swish where oneDNN's kernels run. */
export function nativeFusedActivations(): string[] {
  return reportedBackendName() === "onednn" ? ["swish"] : [];
}

type ConvAttrs = {
  strides: number | [number, number];
  pad: "same" | "valid" | tf.backend_util.ExplicitPadding | number;
  dataFormat?: string;
  dilations?: number | [number, number];
  dimRoundingMode?: "floor" | "round" | "ceil";
  activation?: string;
};

function convForward(depthwise: boolean, fused: boolean): NativeKernelFunc {
  return (call, { inputs, attrs, backend }) => {
    const { x, filter, bias } = inputs;
    const a = attrs as ConvAttrs;
    if (x == null || filter == null || !allFloat(x, filter, bias) || inputs.preluActivationWeights != null) return null;
    if ((a.dataFormat ?? "NHWC") !== "NHWC") return null;
    const activation = ACTIVATIONS[fused ? (a.activation ?? "linear") : "linear"];
    if (activation == null) return null;
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      a.strides,
      a.dilations ?? 1,
      a.pad as "same",
      a.dimRoundingMode,
      depthwise,
    );
    if (bias != null && tf.util.sizeFromShape(bias.shape) !== info.outChannels) return null;
    const y = backend.makeOutput(info.outShape, "float32");
    const c = call();
    const params = convParams(info, depthwise ? info.inChannels : 1, activation);
    const training = tf.engine().state.gradientDepth > 0;
    c.addon.conv2dForward(
      c.heap,
      c.offset(x),
      c.offset(filter),
      bias ? c.offset(bias) : -1,
      c.offset(y),
      params,
      training,
      (training ? trainingPrecision : inferencePrecision) === "bf16",
    );
    return y;
  };
}

function convBackwardInput(depthwise: boolean): NativeKernelFunc {
  return (call, { inputs, attrs, backend }) => {
    const { dy, filter } = inputs;
    const a = attrs as ConvAttrs & { inputShape: [number, number, number, number] };
    if (dy == null || filter == null || !allFloat(dy, filter) || (a.dataFormat ?? "NHWC") !== "NHWC") return null;
    const info = tf.backend_util.computeConv2DInfo(
      a.inputShape,
      filter.shape as [number, number, number, number],
      a.strides,
      a.dilations ?? 1,
      a.pad as "same",
      a.dimRoundingMode,
      depthwise,
    );
    const dx = backend.makeOutput(a.inputShape, "float32");
    const c = call();
    c.addon.conv2dBackwardData(
      c.heap,
      c.offset(dy),
      c.offset(filter),
      c.offset(dx),
      convParams(info, depthwise ? info.inChannels : 1),
      trainingPrecision === "bf16",
    );
    return dx;
  };
}

function convBackwardFilter(depthwise: boolean): NativeKernelFunc {
  return (call, { inputs, attrs, backend }) => {
    const { x, dy } = inputs;
    const a = attrs as ConvAttrs & { filterShape: [number, number, number, number] };
    if (x == null || dy == null || !allFloat(x, dy) || (a.dataFormat ?? "NHWC") !== "NHWC") return null;
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      a.filterShape,
      a.strides,
      a.dilations ?? 1,
      a.pad as "same",
      a.dimRoundingMode,
      depthwise,
    );
    const dw = backend.makeOutput(a.filterShape, "float32");
    const c = call();
    c.addon.conv2dBackwardWeights(
      c.heap,
      c.offset(x),
      c.offset(dy),
      c.offset(dw),
      convParams(info, depthwise ? info.inChannels : 1),
      trainingPrecision === "bf16",
    );
    return dw;
  };
}

type PoolAttrs = {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: "same" | "valid" | number;
  dimRoundingMode?: "floor" | "round" | "ceil";
};

function poolInfo(shape: number[], a: PoolAttrs): Conv2DInfo {
  return tf.backend_util.computePool2DInfo(
    shape as [number, number, number, number],
    a.filterSize,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
  );
}

function poolForward(isMax: boolean): NativeKernelFunc {
  return (call, { inputs, attrs, backend }) => {
    const { x } = inputs;
    if (x == null || x.shape.length !== 4 || !allFloat(x)) return null;
    const info = poolInfo(x.shape, attrs as PoolAttrs);
    const params = poolParams(info);
    if (params == null) return null;
    const y = backend.makeOutput(info.outShape, "float32");
    const c = call();
    c.addon.poolForward(c.heap, c.offset(x), c.offset(y), params, isMax);
    return y;
  };
}

function poolBackward(isMax: boolean): NativeKernelFunc {
  return (call, { inputs, attrs, backend }) => {
    const { dy, input } = inputs;
    if (dy == null || input == null || input.shape.length !== 4 || !allFloat(dy, input)) return null;
    const info = poolInfo(input.shape, attrs as PoolAttrs);
    const params = poolParams(info);
    if (params == null) return null;
    const dx = backend.makeOutput(input.shape, "float32");
    const c = call();
    c.addon.poolBackward(c.heap, isMax ? c.offset(input) : -1, c.offset(dy), c.offset(dx), params, isMax);
    return dx;
  };
}

/** [rows, channels, batch]: channels-last data as rows of channels, the first axis telling oneDNN what to thread over. */
const rowsByChannels = (x: TensorInfo): [number, number, number] => {
  const channels = x.shape[x.shape.length - 1];
  return [tf.util.sizeFromShape(x.shape) / channels, channels, x.shape.length > 1 ? x.shape[0] : 1];
};

const fusedBatchNorm: NativeKernelFunc = (call, { inputs, attrs, backend }) => {
  const { x, mean, variance, offset, scale } = inputs;
  if (x == null || mean == null || variance == null || offset == null || scale == null) return null;
  if (x.shape.length === 0 || !allFloat(x, mean, variance, offset, scale)) return null;
  const [rows, channels, batch] = rowsByChannels(x);
  if (![mean, variance, offset, scale].every((t) => tf.util.sizeFromShape(t.shape) === channels)) return null;
  const y = backend.makeOutput(x.shape, "float32");
  const c = call();
  const epsilon = (attrs as { varianceEpsilon: number }).varianceEpsilon;
  c.addon.batchNormInference(
    c.heap,
    c.offset(x),
    c.offset(mean),
    c.offset(variance),
    c.offset(scale),
    c.offset(offset),
    c.offset(y),
    [rows, channels, batch],
    epsilon,
  );
  return y;
};

const batchNormStats: NativeKernelFunc = (call, { inputs, backend }) => {
  const { x } = inputs;
  if (x == null || x.shape.length === 0 || !allFloat(x)) return null;
  const [rows, channels, batch] = rowsByChannels(x);
  const mean = backend.makeOutput([channels], "float32");
  const variance = backend.makeOutput([channels], "float32");
  const c = call();
  c.addon.batchNormStats(c.heap, c.offset(x), c.offset(mean), c.offset(variance), [rows, channels, batch]);
  return [mean, variance];
};

const batchNormGrad: NativeKernelFunc = (call, { inputs, attrs, backend }) => {
  const { dy, x, mean, variance, gamma } = inputs;
  if (dy == null || x == null || mean == null || variance == null || gamma == null) return null;
  if (x.shape.length === 0 || !allFloat(dy, x, mean, variance, gamma)) return null;
  const [rows, channels, batch] = rowsByChannels(x);
  const dx = backend.makeOutput(x.shape, "float32");
  const dGamma = backend.makeOutput([channels], "float32");
  const dBeta = backend.makeOutput([channels], "float32");
  const c = call();
  c.addon.batchNormBackward(
    c.heap,
    c.offset(dy),
    c.offset(x),
    c.offset(mean),
    c.offset(variance),
    c.offset(gamma),
    c.offset(dx),
    c.offset(dGamma),
    c.offset(dBeta),
    [rows, channels, batch],
    (attrs as { epsilon: number }).epsilon,
  );
  return [dx, dGamma, dBeta];
};

const batchMatMul: NativeKernelFunc = (call, { inputs, attrs, backend }) => {
  const { a, b } = inputs;
  if (a == null || b == null || a.shape.length < 2 || a.shape.length !== b.shape.length || !allFloat(a, b)) return null;
  const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
  const rank = a.shape.length;
  const [aRows, aCols] = a.shape.slice(rank - 2);
  const [bRows, bCols] = b.shape.slice(rank - 2);
  const [m, k] = transposeA ? [aCols, aRows] : [aRows, aCols];
  const [kB, n] = transposeB ? [bCols, bRows] : [bRows, bCols];
  const batchA = tf.util.sizeFromShape(a.shape.slice(0, rank - 2));
  const batchB = tf.util.sizeFromShape(b.shape.slice(0, rank - 2));
  if (k !== kB || (batchA !== batchB && batchA !== 1 && batchB !== 1)) return null;
  const outer = (batchA >= batchB ? a : b).shape.slice(0, rank - 2);
  const out = backend.makeOutput([...outer, m, n], "float32");
  const c = call();
  c.addon.matMul(c.heap, c.offset(a), c.offset(b), c.offset(out), [batchA, batchB, m, n, k, +transposeA, +transposeB]);
  return out;
};

/**
 * How `b` broadcasts against the larger `a` as [outer, middle, inner]: b equals a on the leading and trailing axes and
 * is 1 on those between (same shapes, a scalar, squeeze-and-excite's [N, H, W, C] x [N, 1, 1, C]); null otherwise.
 */
export function broadcastPattern(a: number[], b: number[]): [number, number, number] | null {
  if (b.length > a.length) return null;
  const padded = [...Array<number>(a.length - b.length).fill(1), ...b];
  let i = 0;
  while (i < a.length && padded[i] === a[i]) i++;
  let j = a.length;
  while (j > i && padded[j - 1] === a[j - 1]) j--;
  if (padded.slice(i, j).some((d) => d !== 1)) return null;
  const product = (dims: number[]) => dims.reduce((x, y) => x * y, 1);
  return [product(a.slice(0, i)), product(a.slice(i, j)), product(a.slice(j))];
}

/** The addon's codes for a binary op; a subtraction swapped to put the larger operand first uses the reversed one. */
const BINARY_OPS = { multiply: 0, add: 1, subtract: 2 } as const;

/** Multiply, Add or Sub where one operand broadcasts over the other's middle axes (see `broadcastPattern`). */
function binary(op: keyof typeof BINARY_OPS): NativeKernelFunc {
  return (call, { inputs, backend }) => {
    let { a, b } = inputs;
    if (a == null || b == null || !allFloat(a, b)) return null;
    let code: 0 | 1 | 2 | 3 = BINARY_OPS[op];
    if (tf.util.sizeFromShape(b.shape) > tf.util.sizeFromShape(a.shape)) {
      [a, b] = [b, a];
      if (op === "subtract") code = 3;
    }
    const pattern = broadcastPattern(a.shape, b.shape);
    if (pattern == null) return null;
    const out = backend.makeOutput(a.shape, "float32");
    const c = call();
    c.addon.binary(c.heap, c.offset(a), c.offset(b), c.offset(out), pattern, code);
    return out;
  };
}

/**
 * A sum or mean over contiguous axes, as [outer, middle, inner]: global average pooling's and squeeze-and-excite's
 * [1, 2] of NHWC and its gradient's sums, bias gradients' all-but-last. Axes apart go to the kernel replaced.
 */
function reduce(mean: boolean): NativeKernelFunc {
  return (call, { inputs, attrs, backend }) => {
    const { x } = inputs;
    if (x == null || x.shape.length === 0 || !allFloat(x)) return null;
    const { axis, keepDims } = attrs as { axis: number | number[]; keepDims: boolean };
    const axes = [...new Set(tf.util.parseAxisParam(axis, x.shape))].sort((p, q) => p - q);
    if (axes.length === 0 || axes.some((a, i) => a !== axes[0] + i)) return null;
    const product = (dims: number[]) => dims.reduce((p, q) => p * q, 1);
    const first = axes[0];
    const last = axes[axes.length - 1] + 1;
    const shape = keepDims
      ? x.shape.map((d, i) => (i >= first && i < last ? 1 : d))
      : [...x.shape.slice(0, first), ...x.shape.slice(last)];
    const pattern: [number, number, number] = [
      product(x.shape.slice(0, first)),
      product(x.shape.slice(first, last)),
      product(x.shape.slice(last)),
    ];
    const y = backend.makeOutput(shape, "float32");
    const c = call();
    c.addon.reduceMiddle(c.heap, c.offset(x), c.offset(y), pattern, mean ? 1 / pattern[1] : 1);
    return y;
  };
}

/** An element-wise activation: one input, an output of its shape. */
function elementwise(run: (c: NativeCall, x: number, y: number, size: number) => void): NativeKernelFunc {
  return (call, { inputs, backend }) => {
    const { x } = inputs;
    if (x == null || !allFloat(x)) return null;
    const y = backend.makeOutput(x.shape, "float32");
    const c = call();
    run(c, c.offset(x), c.offset(y), tf.util.sizeFromShape(x.shape));
    return y;
  };
}

/** An element-wise gradient: dy and the tensor it depends on (`saved`), an output of their shape. */
function elementwiseGrad(
  saved: string,
  run: (c: NativeCall, dy: number, saved: number, dx: number, size: number) => void,
): NativeKernelFunc {
  return (call, { inputs, backend }) => {
    const { dy } = inputs;
    const other = inputs[saved];
    if (dy == null || other == null || !allFloat(dy, other) || !tf.util.arraysEqual(dy.shape, other.shape)) return null;
    const dx = backend.makeOutput(other.shape, "float32");
    const c = call();
    run(c, c.offset(dy), c.offset(other), c.offset(dx), tf.util.sizeFromShape(other.shape));
    return dx;
  };
}

/** Inputs w, g, m, v; attrs beta1, beta2, stepSize, epsilon, keep; outputs [w, m, v] after one AdamW step. */
export const ADAMW_UPDATE = "FaceloopAdamWUpdate";

const adamWUpdate: NativeKernelFunc = (call, { inputs, attrs, backend }) => {
  const { w, g, m, v } = inputs;
  if (w == null || g == null || m == null || v == null || !allFloat(w, g, m, v)) return null;
  const size = tf.util.sizeFromShape(w.shape);
  if (![g, m, v].every((t) => tf.util.sizeFromShape(t.shape) === size)) return null;
  const outs = [w, m, v].map((t) => backend.makeOutput(t.shape, "float32"));
  const c = call();
  const { beta1, beta2, stepSize, epsilon, keep } = attrs as Record<string, number>;
  c.addon.adamWUpdate(
    c.heap,
    c.offset(w),
    c.offset(g),
    c.offset(m),
    c.offset(v),
    ...(outs.map(c.offset) as [number, number, number]),
    size,
    [beta1, beta2, stepSize, epsilon, keep],
  );
  return outs;
};

const KERNELS: Record<string, NativeKernelFunc> = {
  Conv2D: convForward(false, false),
  FusedConv2D: convForward(false, true),
  DepthwiseConv2dNative: convForward(true, false),
  FusedDepthwiseConv2D: convForward(true, true),
  Conv2DBackpropInput: convBackwardInput(false),
  Conv2DBackpropFilter: convBackwardFilter(false),
  DepthwiseConv2dNativeBackpropInput: convBackwardInput(true),
  DepthwiseConv2dNativeBackpropFilter: convBackwardFilter(true),
  MaxPool: poolForward(true),
  AvgPool: poolForward(false),
  MaxPoolGrad: poolBackward(true),
  AvgPoolGrad: poolBackward(false),
  FusedBatchNorm: fusedBatchNorm,
  [BATCH_NORM_STATS]: batchNormStats,
  [BATCH_NORM_GRAD]: batchNormGrad,
  BatchMatMul: batchMatMul,
  Multiply: binary("multiply"),
  Add: binary("add"),
  Sub: binary("subtract"),
  Mean: reduce(true),
  Sum: reduce(false),
  Relu: elementwise((c, x, y, size) => c.addon.relu(c.heap, x, y, size)),
  [RELU_GRAD]: elementwiseGrad("y", (c, dy, y, dx, size) => c.addon.reluBackward(c.heap, dy, y, dx, size)),
  [SWISH]: elementwise((c, x, y, size) => c.addon.swish(c.heap, x, y, size)),
  [SWISH_GRAD]: elementwiseGrad("x", (c, dy, x, dx, size) => c.addon.swishBackward(c.heap, dy, x, dx, size)),
  [ADAMW_UPDATE]: adamWUpdate,
};
