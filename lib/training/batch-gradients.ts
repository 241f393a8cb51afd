import * as tf from "@tensorflow/tfjs";
import type { BatchAssembler, TrainingBatchOptions } from "./batch-assembler";
import { disposeBatch } from "./batch-assembler";
import type { FaceDataset } from "./face-dataset";
import { weightedCrossEntropy } from "./loss";

export interface BatchGradients {
  /** Summed over micro-batches, in `variables` order; undefined where the loss does not reach a variable. */
  grads: (tf.Tensor | undefined)[];
  /** The batch's loss (mean over its faces of weight * cross-entropy, plus regularisers once) times its size. */
  lossTimesSize: tf.Scalar;
  /** Faces whose training-mode prediction equals the label. */
  correct: tf.Scalar;
}

/**
 * Gradients of one batch, faces order[start..end-1], computed `microBatchSize` faces at a time and summed: each
 * micro-batch's loss is already divided by the full batch size, so the sum is the full batch's gradient. The model
 * runs in training mode (BatchNorm on batch statistics and updating its moving averages, dropout on); with BatchNorm
 * the statistics are those of each micro-batch, as in any accumulation scheme, so the update is close to but not
 * exactly the full batch's.
 */
export function batchGradients(
  model: tf.LayersModel,
  variables: readonly tf.Variable[],
  assembler: BatchAssembler,
  dataset: FaceDataset,
  order: Uint32Array,
  start: number,
  end: number,
  options: Omit<TrainingBatchOptions, "weightScale">,
): BatchGradients {
  const size = end - start;
  const grads: (tf.Tensor | undefined)[] = variables.map(() => undefined);
  let lossTimesSize: tf.Scalar = tf.scalar(0);
  let correct: tf.Scalar = tf.scalar(0, "int32");
  for (let from = start; from < end; from += assembler.capacity) {
    const to = Math.min(from + assembler.capacity, end);
    const batch = assembler.training(dataset, order, from, to, { ...options, weightScale: 1 / size });
    try {
      let microCorrect: tf.Scalar | undefined;
      const { value, grads: named } = tf.variableGrads(() => {
        const probs = model.apply(batch.x, { training: true }) as tf.Tensor2D;
        // Kept out of the gradient's tidy: accuracy is summed on the device and read only when asked.
        microCorrect = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(probs, 1), batch.labels), "int32")));
        const loss = weightedCrossEntropy(probs, batch.targets, batch.weights);
        // Regularisers (the plain CNN's L2) belong to the batch, not to each micro-batch.
        const regularisers = from === start ? model.calculateLosses() : [];
        return regularisers.length > 0 ? tf.add(loss, tf.addN(regularisers)) : loss;
      }, variables as tf.Variable[]);
      variables.forEach((variable, i) => {
        const g = named[variable.name];
        if (g === undefined) return;
        const sum = grads[i];
        grads[i] = sum === undefined ? g : tf.add(sum, g);
        if (sum !== undefined) tf.dispose([sum, g]);
      });
      const [oldLoss, oldCorrect] = [lossTimesSize, correct];
      lossTimesSize = tf.tidy(() => tf.add(oldLoss, tf.mul(value, size)));
      correct = tf.add(oldCorrect, microCorrect!);
      tf.dispose([oldLoss, oldCorrect, value, microCorrect!]);
    } finally {
      disposeBatch(batch);
    }
  }
  return { grads, lossTimesSize, correct };
}
