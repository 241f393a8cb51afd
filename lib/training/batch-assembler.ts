import * as tf from "@tensorflow/tfjs";
import { NUM_EMOTIONS } from "../emotions";
import type { Augmentation } from "../models/types";
import { drawShiftFlip, NO_AUGMENTATION, type ShiftFlip, shiftFlipInto } from "./augment";
import type { Random } from "./epoch-random";
import { FACE_PIXELS, type FaceDataset } from "./face-dataset";
import { type LossSettings, writeLossTarget } from "./loss";

const SIDE = Math.sqrt(FACE_PIXELS);

export interface TrainingBatch {
  size: number;
  /** [size, 48, 48, 1], x/255, augmented. */
  x: tf.Tensor4D;
  /** [size, 7] smoothed targets. */
  targets: tf.Tensor2D;
  /** [size] sample weights, already multiplied by `weightScale`. */
  weights: tf.Tensor1D;
  /** [size] int32 canonical labels, for accuracy. */
  labels: tf.Tensor1D;
}

export interface TrainingBatchOptions {
  augmentation: Augmentation | null;
  random: Random;
  loss: LossSettings;
  /** 1 / (full batch size), so micro-batch losses add up to the full batch's mean. */
  weightScale: number;
}

/**
 * Turns dataset rows into batch tensors through buffers allocated once. Backends that keep the array they are given
 * (cpu) make the tensor alias the buffer, so every batch's tensors must be disposed before the next is assembled;
 * the training loop and the predictors do that.
 */
export class BatchAssembler {
  private readonly x: Float32Array;
  private readonly targets: Float32Array;
  private readonly weights: Float32Array;
  private readonly labels: Int32Array;

  constructor(readonly capacity: number) {
    this.x = new Float32Array(capacity * FACE_PIXELS);
    this.targets = new Float32Array(capacity * NUM_EMOTIONS);
    this.weights = new Float32Array(capacity);
    this.labels = new Int32Array(capacity);
  }

  /** Faces start..end-1 of a flat pixel array, scaled x/255, for inference; `view` shifts or mirrors each (TTA). */
  inputs(pixels: Uint8Array, start: number, end: number, view: ShiftFlip = NO_AUGMENTATION): tf.Tensor4D {
    const n = this.checkSize(start, end);
    const x = this.x;
    const src = pixels.subarray(start * FACE_PIXELS, end * FACE_PIXELS);
    if (view.dy === 0 && view.dx === 0 && !view.flip) {
      for (let i = 0; i < src.length; i++) x[i] = src[i] / 255;
    } else {
      for (let face = 0; face < n; face++) shiftFlipInto(src, face * FACE_PIXELS, x, face * FACE_PIXELS, view, 1 / 255);
    }
    return tf.tensor4d(x.subarray(0, n * FACE_PIXELS), [n, SIDE, SIDE, 1]);
  }

  /** Faces order[start..end-1]: augmentation draws consume `random` in that order, one face at a time. */
  training(
    dataset: FaceDataset,
    order: Uint32Array,
    start: number,
    end: number,
    options: TrainingBatchOptions,
  ): TrainingBatch {
    const n = this.checkSize(start, end);
    for (let i = 0; i < n; i++) {
      const index = order[start + i];
      const t = options.augmentation
        ? drawShiftFlip(options.augmentation, options.random, SIDE, SIDE)
        : NO_AUGMENTATION;
      shiftFlipInto(dataset.pixels, index * FACE_PIXELS, this.x, i * FACE_PIXELS, t, 1 / 255, SIDE, SIDE);
      this.weights[i] =
        writeLossTarget(dataset, index, options.loss, this.targets, i * NUM_EMOTIONS) * options.weightScale;
      this.labels[i] = dataset.labels[index];
    }
    return {
      size: n,
      x: tf.tensor4d(this.x.subarray(0, n * FACE_PIXELS), [n, SIDE, SIDE, 1]),
      targets: tf.tensor2d(this.targets.subarray(0, n * NUM_EMOTIONS), [n, NUM_EMOTIONS]),
      weights: tf.tensor1d(this.weights.subarray(0, n)),
      labels: tf.tensor1d(this.labels.subarray(0, n), "int32"),
    };
  }

  private checkSize(start: number, end: number): number {
    const n = end - start;
    if (n <= 0 || n > this.capacity) throw new Error(`batch of ${n} faces; this assembler holds 1..${this.capacity}`);
    return n;
  }
}

export function disposeBatch(batch: TrainingBatch): void {
  tf.dispose([batch.x, batch.targets, batch.weights, batch.labels]);
}
