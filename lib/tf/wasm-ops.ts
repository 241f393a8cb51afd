import * as tf from "@tensorflow/tfjs";

type TensorInfo = tf.TensorInfo;
type Attrs = tf.NamedAttrMap;

/**
 * Thin calls into the wasm backend's own kernels, for composing gradient kernels without going through the engine
 * (no tape, no scopes). Every returned TensorInfo owns a fresh dataId the caller must `release` unless it is the
 * composed kernel's output.
 */
export class WasmOps {
  private readonly backend: tf.KernelBackend;

  /** `backend` as a kernel receives it (typed `{}` by tfjs). */
  constructor(backend: object) {
    this.backend = backend as tf.KernelBackend;
  }

  run(kernelName: string, inputs: Record<string, TensorInfo>, attrs: Attrs = {}): TensorInfo {
    const kernel = tf.getKernel(kernelName, "wasm");
    if (kernel == null) throw new Error(`wasm backend lacks kernel ${kernelName}`);
    return kernel.kernelFunc({ inputs, attrs, backend: this.backend }) as TensorInfo;
  }

  release(...infos: TensorInfo[]): void {
    for (const info of infos) this.backend.disposeData(info.dataId);
  }

  /** A view with another shape on the same data; no copy and no reference count, so release only one of the two. */
  view(x: TensorInfo, shape: number[]): TensorInfo {
    return { dataId: x.dataId, shape, dtype: x.dtype };
  }

  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    return this.run("Transpose", { x }, { perm });
  }

  pad(x: TensorInfo, paddings: Array<[number, number]>): TensorInfo {
    return this.run("PadV2", { x }, { paddings, constantValue: 0 });
  }

  slice(x: TensorInfo, begin: number[], size: number[]): TensorInfo {
    return this.run("Slice", { x }, { begin, size });
  }

  reverse(x: TensorInfo, dims: number[]): TensorInfo {
    return this.run("Reverse", { x }, { dims });
  }

  sum(x: TensorInfo, axis: number[]): TensorInfo {
    return this.run("Sum", { x }, { axis, keepDims: false });
  }

  add(a: TensorInfo, b: TensorInfo): TensorInfo {
    return this.run("Add", { a, b });
  }

  sub(a: TensorInfo, b: TensorInfo): TensorInfo {
    return this.run("Sub", { a, b });
  }

  mul(a: TensorInfo, b: TensorInfo): TensorInfo {
    return this.run("Multiply", { a, b });
  }

  squaredDifference(a: TensorInfo, b: TensorInfo): TensorInfo {
    return this.run("SquaredDifference", { a, b });
  }

  /**
   * Per-channel mean over every axis but the last, as one XNNPACK average pool spanning the whole tensor: a single
   * streaming pass, where the Sum and Mean kernels first transpose the channels to the front.
   */
  channelMean(x: TensorInfo): TensorInfo {
    const channels = x.shape[x.shape.length - 1];
    const rows = x.shape.length === 0 ? 1 : tf.util.sizeFromShape(x.shape) / channels;
    const mean = this.run(
      "AvgPool",
      { x: this.view(x, [1, rows, 1, channels]) },
      {
        filterSize: [rows, 1],
        strides: 1,
        pad: "valid",
      },
    );
    return this.view(mean, [channels]);
  }

  /** A copy of a (small) tensor's values. */
  read(x: TensorInfo): Float32Array {
    return this.backend.readSync(x.dataId) as Float32Array;
  }

  fromValues(shape: number[], values: Float32Array): TensorInfo {
    const wasm = this.backend as unknown as {
      makeOutput(shape: number[], dtype: "float32", memoryOffset?: number, values?: Float32Array): TensorInfo;
    };
    return wasm.makeOutput(shape, "float32", undefined, values);
  }

  /** Conv2D, NHWC, with explicit padding. XNNPACK takes stride and dilation together, which the gradients rely on. */
  conv2d(
    x: TensorInfo,
    filter: TensorInfo,
    strides: [number, number],
    dilations: [number, number],
    pad: PadHW,
  ): TensorInfo {
    return this.run("Conv2D", { x, filter }, {
      strides,
      dilations,
      pad: explicit(pad),
      dataFormat: "NHWC",
    } as unknown as Attrs);
  }

  depthwiseConv2d(
    x: TensorInfo,
    filter: TensorInfo,
    strides: [number, number],
    dilations: [number, number],
    pad: PadHW,
  ): TensorInfo {
    return this.run("DepthwiseConv2dNative", { x, filter }, {
      strides,
      dilations,
      pad: explicit(pad),
    } as unknown as Attrs);
  }
}

/** [top, bottom, left, right]; all non-negative. */
export type PadHW = [number, number, number, number];

function explicit([top, bottom, left, right]: PadHW): number[][] {
  return [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
}
