import * as tf from "@tensorflow/tfjs";
import { BATCH_NORM_CPU_KERNELS } from "./batch-norm-kernels-cpu";
import { BATCH_NORM_WASM_KERNELS } from "./batch-norm-kernels-wasm";
import { batchNormTraining } from "./batch-norm-training";

/** The fields of tfjs-layers' BatchNormalization that its training path reads. */
interface BatchNormLayer {
  axis: number;
  momentum: number;
  epsilon: number;
  gamma?: { read(): tf.Tensor };
  beta?: { read(): tf.Tensor };
  movingMean: { read(): tf.Tensor; write(value: tf.Tensor): void };
  movingVariance: { read(): tf.Tensor; write(value: tf.Tensor): void };
}

type Call = (this: BatchNormLayer, inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) => tf.Tensor;

const ORIGINAL = Symbol.for("faceloop.fastBatchNorm.original");

/**
 * Makes every tf.layers.batchNormalization use `batchNormTraining` when training on the last axis, and registers
 * its kernels for wasm and cpu. Process-wide (it patches the layer class), so entry points call it, through
 * selectBackend. Inference and other axes keep tfjs' own code.
 */
export function installFastBatchNorm(): void {
  for (const config of [...BATCH_NORM_WASM_KERNELS, ...BATCH_NORM_CPU_KERNELS]) {
    if (tf.getKernel(config.kernelName, config.backendName) == null) tf.registerKernel(config);
  }
  const prototype = batchNormPrototype();
  if (prototype[ORIGINAL]) return;
  const original = prototype.call as Call;
  const patched: Call = function (inputs, kwargs) {
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    const lastAxis = this.axis === -1 || this.axis === input.rank - 1;
    if (!kwargs?.training || !lastAxis) return original.call(this, inputs, kwargs);
    return tf.tidy(() => {
      const channels = input.shape[input.rank - 1];
      const gamma = (this.gamma?.read() ?? tf.ones([channels])) as tf.Tensor1D;
      const beta = (this.beta?.read() ?? tf.zeros([channels])) as tf.Tensor1D;
      const { y, mean, variance } = batchNormTraining(input, gamma, beta, this.epsilon);
      // Same update as tfjs-layers: moving = moving - (moving - batch) * (1 - momentum).
      for (const [moving, batch] of [
        [this.movingMean, mean],
        [this.movingVariance, variance],
      ] as const) {
        tf.tidy(() => {
          const value = moving.read();
          moving.write(tf.sub(value, tf.mul(tf.sub(value, batch), 1 - this.momentum)));
        });
      }
      return y;
    });
  };
  prototype.call = patched;
  prototype[ORIGINAL] = original;
}

/** Puts tfjs' own training path back (tests compare against it). */
export function uninstallFastBatchNorm(): void {
  const prototype = batchNormPrototype();
  if (!prototype[ORIGINAL]) return;
  prototype.call = prototype[ORIGINAL];
  delete prototype[ORIGINAL];
}

function batchNormPrototype(): Record<PropertyKey, unknown> {
  return Object.getPrototypeOf(tf.layers.batchNormalization({})) as Record<PropertyKey, unknown>;
}
