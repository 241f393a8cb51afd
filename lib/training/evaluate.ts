import * as tf from "@tensorflow/tfjs";
import { NUM_EMOTIONS } from "../emotions";
import { planInference } from "../models/fused-inference";
import { type ConvPrecision, nativeFusedActivations, withInferencePrecision } from "../tf/native/onednn-kernels";
import { NO_AUGMENTATION, type ShiftFlip } from "./augment";
import { BatchAssembler } from "./batch-assembler";
import { argmaxAt, type ClassificationMetrics, classificationMetrics } from "./classification-metrics";
import { FACE_PIXELS, type FaceDataset } from "./face-dataset";

/**
 * Inference-mode predictions over many faces in batches (BatchNorm on moving statistics, dropout off), and what is
 * made of them: metrics for a labelled split, and per-face scores (uncertainty, embedding) for a pool to curate.
 */

export interface PredictOptions {
  /** Faces per forward pass; larger is faster until memory runs out. */
  batchSize?: number;
  signal?: AbortSignal;
  /**
   * Test-time augmentation: each face's softmax averaged over these views of it (FLIP_VIEWS, SHIFT_FLIP_VIEWS), as
   * FER papers report accuracy. One forward pass per view; the served model predicts from the face alone.
   */
  views?: readonly ShiftFlip[];
  /**
   * On the oneDNN kernels: bf16 computes the convolutions in bfloat16 where the CPU has AMX (twice as fast or more;
   * probabilities move by about 1e-4), f32 everywhere else. Metrics default to f32, pool scoring to bf16.
   */
  precision?: ConvPrecision;
}

/** The face and its mirror image. */
export const FLIP_VIEWS: readonly ShiftFlip[] = [NO_AUGMENTATION, { dy: 0, dx: 0, flip: true }];

/**
 * The face moved 2 pixels up, down, left and right, each also mirrored: ten views, like the ten crops FER papers
 * average, within the shifts the training augmentation draws from.
 */
export const SHIFT_FLIP_VIEWS: readonly ShiftFlip[] = [
  [0, 0],
  [2, 0],
  [-2, 0],
  [0, 2],
  [0, -2],
].flatMap(([dy, dx]) => [false, true].map((flip) => ({ dy, dx, flip })));

const DEFAULT_BATCH = 128;

/** Softmax rows [count, 7] for flat 48x48 faces. */
export async function predictProbabilities(
  model: tf.LayersModel,
  pixels: Uint8Array,
  options: PredictOptions = {},
): Promise<Float32Array> {
  const { probabilities } = await runBatches(model, pixels, false, options);
  return probabilities;
}

/** Accuracy, macro-F1, per-class report, confusion matrix, ECE and NLL of a model on a labelled dataset. */
export async function evaluateModel(
  model: tf.LayersModel,
  dataset: FaceDataset,
  options: PredictOptions & { bins?: number } = {},
): Promise<ClassificationMetrics> {
  const probabilities = await predictProbabilities(model, dataset.pixels, options);
  return classificationMetrics(probabilities, dataset.labels, { bins: options.bins });
}

/**
 * `evaluateModel`'s metrics of the plain prediction (what the served model answers), plus the accuracy with
 * test-time augmentation as FER papers report it: averaged with the mirror image, and over ten shifted and mirrored
 * views. Each view is predicted once (SHIFT_FLIP_VIEWS begins with FLIP_VIEWS).
 */
export async function evaluateWithViews(
  model: tf.LayersModel,
  dataset: FaceDataset,
  options: PredictOptions & { bins?: number; onPlainProbabilities?: (probabilities: Float32Array) => void } = {},
): Promise<ClassificationMetrics & { viewAveragedAccuracy: { flip: number; shiftFlip: number } }> {
  const perView: Float32Array[] = [];
  for (const view of SHIFT_FLIP_VIEWS) {
    perView.push(await predictProbabilities(model, dataset.pixels, { ...options, views: [view] }));
  }
  const mean = (rows: Float32Array[]) => {
    const out = new Float32Array(rows[0].length);
    for (const row of rows) for (let i = 0; i < out.length; i++) out[i] += row[i] / rows.length;
    return out;
  };
  const accuracy = (probabilities: Float32Array) => classificationMetrics(probabilities, dataset.labels).accuracy;
  options.onPlainProbabilities?.(perView[0]);
  return {
    ...classificationMetrics(perView[0], dataset.labels, { bins: options.bins }),
    viewAveragedAccuracy: {
      flip: accuracy(mean(perView.slice(0, FLIP_VIEWS.length))),
      shiftFlip: accuracy(mean(perView)),
    },
  };
}

/** Per-face outputs for ranking a pool; arrays are row-major where a face has several values. */
export interface FaceScores {
  count: number;
  /** [count, 7] softmax, canonical order. */
  probabilities: Float32Array;
  predicted: Uint8Array;
  /** Top probability. */
  confidence: Float32Array;
  /** -sum p ln p, in nats (at most ln 7 = 1.95). */
  entropy: Float32Array;
  /** Top-1 minus top-2 probability; small means the model hesitates between two classes. */
  margin: Float32Array;
  /** [count, embeddingSize]: the input of the model's last layer (after global pooling for the compact net). */
  embedding?: Float32Array;
  embeddingSize?: number;
}

export async function scoreFaces(
  model: tf.LayersModel,
  pixels: Uint8Array,
  options: PredictOptions & { embedding?: boolean } = {},
): Promise<FaceScores> {
  const { probabilities, embedding, embeddingSize } = await runBatches(model, pixels, options.embedding ?? false, {
    precision: "bf16",
    ...options,
  });
  const count = probabilities.length / NUM_EMOTIONS;
  const predicted = new Uint8Array(count);
  const confidence = new Float32Array(count);
  const entropy = new Float32Array(count);
  const margin = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const top = argmaxAt(probabilities, i);
    let second = 0;
    let h = 0;
    for (let c = 0; c < NUM_EMOTIONS; c++) {
      const p = probabilities[i * NUM_EMOTIONS + c];
      if (p > 0) h -= p * Math.log(p);
      if (c !== top && p > second) second = p;
    }
    predicted[i] = top;
    confidence[i] = probabilities[i * NUM_EMOTIONS + top];
    entropy[i] = h;
    margin[i] = confidence[i] - second;
  }
  return { count, probabilities, predicted, confidence, entropy, margin, embedding, embeddingSize };
}

// A second model over the same layers whose outputs are [last layer's input, softmax]: one forward pass gives both.
// It must never be disposed: disposing a model built from shared layers disposes their weights.
const embeddingModels = new WeakMap<tf.LayersModel, tf.LayersModel>();

function withEmbedding(model: tf.LayersModel): tf.LayersModel {
  let twin = embeddingModels.get(model);
  if (twin === undefined) {
    const last = model.layers[model.layers.length - 1];
    const penultimate = last.input;
    if (Array.isArray(penultimate)) throw new Error(`the last layer of ${model.name} has several inputs`);
    twin = tf.model({ inputs: model.inputs, outputs: [penultimate, model.outputs[0]] });
    embeddingModels.set(model, twin);
  }
  return twin;
}

async function runBatches(
  model: tf.LayersModel,
  pixels: Uint8Array,
  embed: boolean,
  options: PredictOptions,
): Promise<{ probabilities: Float32Array; embedding?: Float32Array; embeddingSize?: number }> {
  if (pixels.length % FACE_PIXELS !== 0) throw new Error(`pixels must hold whole ${FACE_PIXELS}-byte faces`);
  const count = pixels.length / FACE_PIXELS;
  const batchSize = Math.max(1, Math.min(options.batchSize ?? DEFAULT_BATCH, count));
  const probabilities = new Float32Array(count * NUM_EMOTIONS);
  const runner = embed ? withEmbedding(model) : model;
  let embedding: Float32Array | undefined;
  let embeddingSize: number | undefined;
  if (count === 0) return { probabilities, embedding: embed ? new Float32Array(0) : undefined };
  const views = options.views ?? [NO_AUGMENTATION];
  if (embed && views.length > 1) throw new Error("embeddings come from the face alone: ask for one view");
  const assembler = new BatchAssembler(batchSize);
  // Batch norms folded into the convs for this call's weights (a model in training changes them between calls).
  const plan = planInference(runner, { activations: ["relu", "sigmoid", ...nativeFusedActivations()] });
  try {
    for (let start = 0; start < count; start += batchSize) {
      options.signal?.throwIfAborted();
      const end = Math.min(start + batchSize, count);
      for (const view of views) {
        const x = assembler.inputs(pixels, start, end, view);
        const outputs = withInferencePrecision(options.precision ?? "f32", () =>
          plan ? plan.run(x) : (runner.predict(x, { batchSize: end - start }) as tf.Tensor | tf.Tensor[]),
        );
        const [features, probs] =
          Array.isArray(outputs) && outputs.length > 1 ? outputs : [undefined, [outputs].flat()[0]];
        try {
          const values = await probs.data();
          const row = start * NUM_EMOTIONS;
          for (let i = 0; i < values.length; i++) probabilities[row + i] += values[i] / views.length;
          if (features !== undefined) {
            embeddingSize ??= features.size / (end - start);
            embedding ??= new Float32Array(count * embeddingSize);
            embedding.set(await features.data(), start * embeddingSize);
          }
        } finally {
          tf.dispose([x, probs, ...(features ? [features] : [])]);
        }
      }
    }
  } finally {
    plan?.dispose();
  }
  return { probabilities, embedding, embeddingSize };
}
