import * as tf from "@tensorflow/tfjs";
import { ADAMW_UPDATE } from "../tf/native/onednn-kernels";
import type { OptimizerConfig } from "../models/types";

/**
 * Adam with decoupled weight decay, written out instead of tf.train.adam because the loop needs a learning rate per
 * step, decay on kernels only, and moments it can export and restore by position (variable names differ between
 * processes that built other models first). The update is PyTorch's AdamW, which also is Adam when weightDecay is 0:
 *   m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2
 *   w = w (1 - lr wd) - lr mhat / (sqrt(vhat) + eps)
 * with the bias corrections folded into two scalars, so each variable costs about ten element-wise ops.
 */
export interface AdamW {
  /** Steps taken so far (Adam's t). */
  readonly iterations: number;
  /** One update; `grads[i]` belongs to `variables[i]`, undefined leaves that variable (and its moments) alone. */
  step(grads: readonly (tf.Tensor | undefined)[], learningRate: number): void;
  /** First and second moments, in variable order; live variables, so read them before the next step. */
  moments(): { m: tf.Tensor[]; v: tf.Tensor[] };
  /** Replaces the moments and the step count, e.g. from a checkpoint; the caller may dispose its tensors after. */
  restore(iterations: number, m: readonly tf.Tensor[], v: readonly tf.Tensor[]): void;
  dispose(): void;
}

export function createAdamW(
  config: OptimizerConfig,
  variables: readonly tf.Variable[],
  decayed: readonly boolean[],
): AdamW {
  if (decayed.length !== variables.length) throw new Error("decayed needs one flag per variable");
  // tidy frees the zero tensors; variables outlive scopes.
  const m = tf.tidy(() => variables.map((w) => tf.variable(tf.zerosLike(w), false)));
  const v = tf.tidy(() => variables.map((w) => tf.variable(tf.zerosLike(w), false)));
  const [beta1, oneMinusBeta1, beta2, oneMinusBeta2] = [
    config.beta1,
    1 - config.beta1,
    config.beta2,
    1 - config.beta2,
  ].map((value) => tf.scalar(value));
  let iterations = 0;

  return {
    get iterations() {
      return iterations;
    },
    step(grads, learningRate) {
      const t = iterations + 1;
      const correction2 = Math.sqrt(1 - config.beta2 ** t);
      tf.tidy(() => {
        const stepSize = tf.scalar((learningRate * correction2) / (1 - config.beta1 ** t));
        const epsilon = tf.scalar(config.epsilon * correction2);
        const keep = tf.scalar(1 - learningRate * config.weightDecay);
        variables.forEach((w, i) => {
          const g = grads[i];
          if (g === undefined) return;
          if (tf.getKernel(ADAMW_UPDATE, tf.getBackend()) != null) {
            // The native backend's one-pass update (lib/tf/native); the same arithmetic as below.
            const [newW, newM, newV] = tf.engine().runKernel(
              ADAMW_UPDATE,
              { w, g, m: m[i], v: v[i] },
              {
                beta1: config.beta1,
                beta2: config.beta2,
                stepSize: (learningRate * correction2) / (1 - config.beta1 ** t),
                epsilon: config.epsilon * correction2,
                keep: decayed[i] && config.weightDecay > 0 ? 1 - learningRate * config.weightDecay : 1,
              },
            ) as tf.Tensor[];
            m[i].assign(newM);
            v[i].assign(newV);
            w.assign(newW);
            return;
          }
          const newM = tf.add(tf.mul(m[i], beta1), tf.mul(g, oneMinusBeta1));
          const newV = tf.add(tf.mul(v[i], beta2), tf.mul(tf.square(g), oneMinusBeta2));
          const update = tf.mul(tf.div(newM, tf.add(tf.sqrt(newV), epsilon)), stepSize);
          const base = decayed[i] && config.weightDecay > 0 ? tf.mul(w, keep) : w;
          m[i].assign(newM);
          v[i].assign(newV);
          w.assign(tf.sub(base, update));
        });
      });
      iterations = t;
    },
    moments() {
      return { m: [...m], v: [...v] };
    },
    restore(steps, mValues, vValues) {
      if (mValues.length !== m.length || vValues.length !== v.length) {
        throw new Error(`optimizer state holds ${mValues.length} moments; this model has ${m.length} variables`);
      }
      mValues.forEach((value, i) => assignChecked(m[i], value));
      vValues.forEach((value, i) => assignChecked(v[i], value));
      iterations = steps;
    },
    dispose() {
      tf.dispose([...m, ...v, beta1, oneMinusBeta1, beta2, oneMinusBeta2]);
    },
  };
}

function assignChecked(target: tf.Variable, value: tf.Tensor): void {
  if (!tf.util.arraysEqual(target.shape, value.shape)) {
    throw new Error(`optimizer moment shape ${value.shape} does not fit variable shape ${target.shape}`);
  }
  // assign shares the data with a reference count, so disposing `value` afterwards leaves the variable intact.
  target.assign(value);
}
