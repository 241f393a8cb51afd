import * as tf from "@tensorflow/tfjs";
import { computeArrays } from "./kernel-arrays";
import { WasmOps } from "./wasm-ops";

/** Input x; output x * sigmoid(x). */
export const SWISH = "FaceloopSwish";
/** Inputs dy, x; output dy * s * (1 + x * (1 - s)), s = sigmoid(x). */
export const SWISH_GRAD = "FaceloopSwishGrad";

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/**
 * Swish (EfficientNet's activation) as one kernel and its gradient as one more. tfjs-layers computes it as
 * mul(sigmoid(mul(x, 1)), x): three kernels forward and about ten for the gradient, every one a pass over an
 * activation-sized tensor. On cpu the bodies are plain loops; on wasm they compose wasm's own multi-threaded SIMD
 * kernels (a JavaScript loop of Math.exp there was slower than tfjs' chain); lib/tf/native registers oneDNN's
 * element-wise swish for onednn.
 */
export const SWISH_KERNELS: tf.KernelConfig[] = [
  {
    kernelName: SWISH,
    backendName: "cpu",
    kernelFunc: ({ inputs, backend }) => {
      const { x } = inputs as { x: tf.TensorInfo };
      return computeArrays(backend, [x], [x.shape], ([y], [xs]) => {
        for (let i = 0; i < xs.length; i++) y[i] = xs[i] * sigmoid(xs[i]);
      })[0];
    },
  },
  {
    kernelName: SWISH_GRAD,
    backendName: "cpu",
    kernelFunc: ({ inputs, backend }) => {
      const { dy, x } = inputs as { dy: tf.TensorInfo; x: tf.TensorInfo };
      return computeArrays(backend, [dy, x], [x.shape], ([dx], [dys, xs]) => {
        for (let i = 0; i < xs.length; i++) {
          const s = sigmoid(xs[i]);
          dx[i] = dys[i] * s * (1 + xs[i] * (1 - s));
        }
      })[0];
    },
  },
  {
    kernelName: SWISH,
    backendName: "wasm",
    kernelFunc: ({ inputs, backend }) => {
      const { x } = inputs as { x: tf.TensorInfo };
      const ops = new WasmOps(backend);
      const s = ops.run("Sigmoid", { x });
      const y = ops.mul(x, s);
      ops.release(s);
      return y;
    },
  },
  {
    kernelName: SWISH_GRAD,
    backendName: "wasm",
    kernelFunc: ({ inputs, backend }) => {
      const { dy, x } = inputs as { dy: tf.TensorInfo; x: tf.TensorInfo };
      const ops = new WasmOps(backend);
      // dy * s * (1 + x * (1 - s))
      const one = ops.fromValues([], Float32Array.of(1));
      const s = ops.run("Sigmoid", { x });
      const oneMinusS = ops.sub(one, s);
      const xTimes = ops.mul(x, oneMinusS);
      const factor = ops.add(xTimes, one);
      const slope = ops.mul(s, factor);
      const dx = ops.mul(dy, slope);
      ops.release(one, s, oneMinusS, xTimes, factor, slope);
      return dx;
    },
  },
];

interface SwishActivation {
  apply(x: tf.Tensor, alpha?: number): tf.Tensor;
}
const ORIGINAL = Symbol.for("faceloop.fastSwish.original");

/**
 * Registers the kernels and their gradient, and makes tfjs-layers' "swish" activation use them (for the default
 * alpha of 1; any other keeps tfjs' formula). Process-wide, so entry points call it (selectBackend); the layer, and
 * so saved models, stay tfjs-layers' own.
 */
export function installFastSwish(): void {
  for (const config of SWISH_KERNELS) {
    if (tf.getKernel(config.kernelName, config.backendName) == null) tf.registerKernel(config);
  }
  tf.registerGradient({
    kernelName: SWISH,
    inputsToSave: ["x"],
    gradFunc: (dy, saved) => {
      const [x] = saved;
      return { x: () => tf.engine().runKernel(SWISH_GRAD, { dy: dy as tf.Tensor, x }) as tf.Tensor };
    },
  });
  const prototype = swishPrototype();
  if (prototype[ORIGINAL]) return;
  const original = prototype.apply as SwishActivation["apply"];
  prototype.apply = function (this: SwishActivation, x: tf.Tensor, alpha = 1) {
    if (alpha !== 1 || x.dtype !== "float32") return original.call(this, x, alpha);
    return tf.engine().runKernel(SWISH, { x }) as tf.Tensor;
  };
  prototype[ORIGINAL] = original;
}

/** Puts tfjs-layers' own swish back (tests compare against it). */
export function uninstallFastSwish(): void {
  const prototype = swishPrototype();
  if (!prototype[ORIGINAL]) return;
  prototype.apply = prototype[ORIGINAL];
  delete prototype[ORIGINAL];
}

function swishPrototype(): Record<PropertyKey, unknown> {
  const layer = tf.layers.activation({ activation: "swish" }) as unknown as { activation: object };
  return Object.getPrototypeOf(layer.activation) as Record<PropertyKey, unknown>;
}
