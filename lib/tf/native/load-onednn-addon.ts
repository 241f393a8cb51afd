import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** What the N-API addon (lib/tf/native/src/onednn-addon.cc) exports; offsets are byte offsets into `heap`. */
export interface OnednnAddon {
  conv2dForward(
    heap: Uint8Array,
    x: number,
    filter: number,
    bias: number,
    y: number,
    p: number[],
    training: boolean,
    /** Compute in bfloat16 (f32 output) where oneDNN has AMX code for the shape. */
    bf16?: boolean,
  ): void;
  conv2dBackwardData(heap: Uint8Array, dy: number, filter: number, dx: number, p: number[], bf16?: boolean): void;
  conv2dBackwardWeights(heap: Uint8Array, x: number, dy: number, dfilter: number, p: number[], bf16?: boolean): void;
  poolForward(heap: Uint8Array, x: number, y: number, p: number[], isMax: boolean): void;
  poolBackward(heap: Uint8Array, x: number, dy: number, dx: number, p: number[], isMax: boolean): void;
  batchNormInference(
    heap: Uint8Array,
    x: number,
    mean: number,
    variance: number,
    scale: number,
    shift: number,
    y: number,
    p: [number, number, number],
    epsilon: number,
  ): void;
  batchNormBackward(
    heap: Uint8Array,
    dy: number,
    x: number,
    mean: number,
    variance: number,
    scale: number,
    dx: number,
    dscale: number,
    dshift: number,
    p: [number, number, number],
    epsilon: number,
  ): void;
  batchNormStats(heap: Uint8Array, x: number, mean: number, variance: number, p: [number, number, number]): void;
  /** Whether new convolution primitives are timed against each other (the default) or oneDNN's first choice runs. */
  setAutotune(on: boolean): void;
  /** New convolution primitives run the candidate whose implementation name contains `name` where there is one. */
  preferImplementation(name: string): void;
  /** out = a op b, b broadcast over a's middle axes; op 0 a * b, 1 a + b, 2 a - b, 3 b - a. */
  binary(
    heap: Uint8Array,
    a: number,
    b: number,
    out: number,
    p: [outer: number, middle: number, inner: number],
    op: 0 | 1 | 2 | 3,
  ): void;
  /** y[o, i] = scale * sum over m of x[o, m, i]. */
  reduceMiddle(
    heap: Uint8Array,
    x: number,
    y: number,
    p: [outer: number, middle: number, inner: number],
    scale: number,
  ): void;
  swish(heap: Uint8Array, x: number, y: number, size: number): void;
  swishBackward(heap: Uint8Array, dy: number, x: number, dx: number, size: number): void;
  relu(heap: Uint8Array, x: number, y: number, size: number): void;
  reluBackward(heap: Uint8Array, dy: number, y: number, dx: number, size: number): void;
  matMul(heap: Uint8Array, a: number, b: number, c: number, p: number[]): void;
  adamWUpdate(
    heap: Uint8Array,
    w: number,
    g: number,
    m: number,
    v: number,
    newW: number,
    newM: number,
    newV: number,
    size: number,
    constants: [beta1: number, beta2: number, stepSize: number, epsilon: number, keep: number],
  ): void;
  /** Primitive kind -> the oneDNN implementations picked so far (`brg:avx512_core`, `jit:avx512_core`, ...). */
  implementations(): Record<string, string[]>;
  info(): { version: string; threads: number; isa: number; cachedPrimitives: number };
  setThreads(threads: number): void;
}

export type LoadedAddon = { addon: OnednnAddon; file: string } | { addon: null; reason: string };

export const DEFAULT_ADDON_FILE = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  "build",
  "Release",
  "faceloop_onednn.node",
);

const loads = new Map<string, LoadedAddon>();

/**
 * Loads the oneDNN addon once per process, or says why it cannot (not built: `npm run build:native`; libdnnl missing:
 * `apt-get install libdnnl-dev`). OpenMP reads its settings when the library loads, so they are set first: one thread
 * per core (`threads`), and threads that sleep soon after a primitive ends (GOMP_SPINCOUNT) so they do not spin
 * against the wasm backend's threads, which run the kernels oneDNN does not.
 */
export function loadOnednnAddon(file = DEFAULT_ADDON_FILE, threads = availableParallelism()): LoadedAddon {
  const earlier = loads.get(file);
  if (earlier) return earlier;
  if (!existsSync(file)) {
    return { addon: null, reason: `${path.relative(process.cwd(), file)} is not built (run npm run build:native)` };
  }
  process.env.OMP_NUM_THREADS ??= String(threads);
  process.env.GOMP_SPINCOUNT ??= "10000";
  let loaded: LoadedAddon;
  try {
    const addon = createRequire(import.meta.url)(file) as OnednnAddon;
    addon.setThreads(threads);
    loaded = { addon, file };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    loaded = { addon: null, reason: `${path.basename(file)} did not load: ${message.split("\n")[0]}` };
  }
  loads.set(file, loaded);
  return loaded;
}
