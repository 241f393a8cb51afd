import * as tf from "@tensorflow/tfjs";
import { learningRateAt, learningRateAtProgress } from "../models/learning-rate";
import type { TrainingPreset } from "../models/types";
import { createAdamW } from "./adamw";
import { BatchAssembler } from "./batch-assembler";
import { batchGradients } from "./batch-gradients";
import { classificationMetrics } from "./classification-metrics";
import { epochRandom } from "./epoch-random";
import { type ConvPrecision, setTrainingPrecision } from "../tf/native/onednn-kernels";
import { predictProbabilities } from "./evaluate";
import { type FaceDataset, shuffledOrder } from "./face-dataset";
import { balancedClassWeights, type LossSettings, meanCrossEntropy } from "./loss";
import {
  assignModelWeights,
  type BestWeights,
  captureCheckpoint,
  restoreCheckpoint,
  snapshotModelWeights,
} from "./training-state";
import type { EpochMetrics, TrainingCheckpoint, TrainingCheckpointMeta } from "./types";

export interface TrainModelOptions {
  model: tf.LayersModel;
  preset: TrainingPreset;
  train: FaceDataset;
  /** Inference-mode metrics after every epoch, and what "best-val-accuracy" selects on. */
  val?: FaceDataset;
  /** Total epochs of the run (and so the schedule's length); defaults to the preset's. With a time budget, a cap. */
  epochs?: number;
  /**
   * Bound the run by wall time instead: the schedule runs over the budget (see `learningRateAtProgress`) and the run
   * stops when the next batch plus a val pass would not fit, so the last epoch may cover only part of the data. Time
   * in onBatch and onEpoch counts; a resumed run goes on from the time its checkpoint had used.
   */
  timeBudgetSeconds?: number;
  /** Milliseconds, for the time budget; tests pass a fake one. */
  clock?: () => number;
  /** Faces per forward/backward pass; a batch's micro-batch gradients are summed into one update. */
  microBatchSize?: number;
  /**
   * What the training convolutions compute in on the onednn backend: f32 (the default), or bf16 mixed precision on
   * AMX (see `ConvPrecision`). Process-wide while the run lasts; val passes stay f32.
   */
  precision?: ConvPrecision;
  /** Faces per validation forward pass; defaults to twice the micro-batch. */
  evalBatchSize?: number;
  /** Shuffling and augmentation; a resumed run keeps its checkpoint's seed. */
  seed?: number;
  /** A checkpoint from `onEpoch`'s context: the run goes on at the next epoch as if never stopped. */
  resume?: TrainingCheckpoint;
  onBatch?: (progress: BatchProgress) => void | Promise<void>;
  onEpoch?: (metrics: EpochMetrics, context: EpochContext) => void | Promise<void>;
  /** Checked between batches; an aborted run returns `cancelled: true` with the epochs it finished. */
  signal?: AbortSignal;
  /**
   * Called when the signal stops the run mid-epoch, with the state at that batch (a checkpoint that resumes at the
   * next batch): to save it, so a stopped run loses nothing.
   */
  onStop?: (checkpoint: () => Promise<TrainingCheckpoint>) => void | Promise<void>;
  /**
   * More val figures after each val pass (other protocols over the same faces), given the val probabilities and a
   * predictor for faces outside `val`; stored as the epoch's `valProtocols`.
   */
  valExtra?: (
    valProbabilities: Float32Array,
    predict: (pixels: Uint8Array) => Promise<Float32Array>,
  ) => Promise<Record<string, number>>;
}

export interface BatchProgress {
  /** 1-based epoch, and batches done in it. */
  epoch: number;
  batch: number;
  batchesPerEpoch: number;
  /** Optimiser steps taken in the whole run. */
  step: number;
  /** Planned steps; with a time budget, those the epoch cap would allow. */
  totalSteps: number;
  /** With a time budget: what is left of it. */
  secondsLeft?: number;
  learningRate: number;
  /** The epoch's running train loss and accuracy; reads the device, so call it only as often as you report. */
  running(): { loss: number; accuracy: number };
}

export interface EpochContext {
  /** This epoch is now the one the run keeps (always, with checkpoint "last-epoch"): save the model now if wanted. */
  selected: boolean;
  selectedEpoch: number | null;
  /** The full training state after this epoch, to store and later pass as `resume`. Only while onEpoch runs. */
  checkpoint(): Promise<TrainingCheckpoint>;
  /** Copies of `model.weights` as they are now (cheap: shared data); the caller disposes them. Only while onEpoch runs. */
  snapshotWeights(): tf.Tensor[];
}

export interface TrainModelResult {
  /** Every epoch's metrics, a resumed run's earlier ones included. */
  history: EpochMetrics[];
  /** The epoch whose weights the model now holds (best val accuracy or last), null if none finished. */
  selectedEpoch: number | null;
  /** Stopped by the signal; the model then holds mid-epoch weights and should be discarded or resumed. */
  cancelled: boolean;
}

/**
 * A custom loop instead of model.fit, for gradient accumulation, AdamW on kernels only, a per-batch learning rate,
 * class weights, label smoothing, soft targets, exact resume and cancellation. Works on whatever backend is set.
 */
export async function trainModel(options: TrainModelOptions): Promise<TrainModelResult> {
  const before = setTrainingPrecision(options.precision ?? "f32");
  try {
    return await runTraining(options);
  } finally {
    setTrainingPrecision(before);
  }
}

async function runTraining(options: TrainModelOptions): Promise<TrainModelResult> {
  const { model, preset, train, val, signal } = options;
  if (train.count === 0) throw new Error("cannot train on an empty dataset");
  const batchSize = preset.batchSize;
  const microBatchSize = Math.max(1, Math.min(options.microBatchSize ?? batchSize, batchSize));
  const evalBatchSize = options.evalBatchSize ?? 2 * microBatchSize;
  const totalEpochs = options.epochs ?? preset.epochs;
  const batchesPerEpoch = Math.ceil(train.count / batchSize);
  const totalSteps = totalEpochs * batchesPerEpoch;
  const budgetMs = options.timeBudgetSeconds !== undefined ? options.timeBudgetSeconds * 1000 : null;
  const clock = options.clock ?? (() => performance.now());
  const keepBest = preset.checkpoint === "best-val-accuracy" && val !== undefined;
  const loss: LossSettings = {
    labelSmoothing: preset.labelSmoothing,
    classWeights: preset.classWeights === "balanced" ? balancedClassWeights(train.labels) : null,
  };

  const trainable = model.trainableWeights;
  const variables = trainable.map((w) => w.read() as tf.Variable);
  const optimizer = createAdamW(
    preset.optimizer,
    variables,
    trainable.map((w) => isKernel(w.originalName)),
  );
  const assembler = new BatchAssembler(microBatchSize);
  const history: EpochMetrics[] = [];
  let best: BestWeights | null = null;
  let seed = options.seed ?? 1;
  let startEpoch = 0;
  let startBatch = 0;
  let clockStart = clock();
  const elapsedMs = () => clock() - clockStart;
  // What the end of a budgeted run must still fit after the current batch: the next batch and the val pass.
  let batchMs = 0;
  let valMs = 0;
  const outOfTime = () => budgetMs !== null && elapsedMs() + batchMs + valMs > budgetMs;

  try {
    if (options.resume) {
      const restored = restoreCheckpoint(options.resume, model, optimizer, {
        totalEpochs,
        batchSize,
        trainCount: train.count,
        timeBudgetSeconds: options.timeBudgetSeconds ?? null,
      });
      clockStart -= restored.elapsedSeconds * 1000;
      seed = restored.seed;
      startEpoch = restored.epochsCompleted;
      startBatch = restored.batchesCompleted;
      history.push(...restored.history);
      if (keepBest) best = restored.best;
      else if (restored.best !== null) tf.dispose(restored.best.weights);
    }
    for (let epoch = startEpoch; epoch < totalEpochs; epoch++) {
      if (outOfTime() || history.at(-1)?.dataFraction !== undefined) break;
      const started = performance.now();
      const random = epochRandom(seed, epoch);
      const order = shuffledOrder(train.count, random);
      let lossSum: tf.Scalar = tf.scalar(0);
      let correctSum: tf.Scalar = tf.scalar(0, "int32");
      let seen = 0;
      let batchesDone = 0;
      let learningRate = 0;
      const running = () => ({ loss: lossSum.dataSync()[0] / seen, accuracy: correctSum.dataSync()[0] / seen });
      try {
        for (let b = epoch === startEpoch ? startBatch : 0; b < batchesPerEpoch; b++) {
          if (signal?.aborted) {
            if (options.onStop && b > 0) {
              const meta: TrainingCheckpointMeta = {
                format: "faceloop-training-state",
                version: 1,
                epochsCompleted: epoch,
                batchesCompleted: b,
                totalEpochs,
                batchSize,
                trainCount: train.count,
                seed,
                optimizerIterations: optimizer.iterations,
                history: [...history],
                selectedEpoch: best?.epoch ?? history.at(-1)?.epoch ?? null,
                bestValAccuracy: best?.accuracy ?? null,
                // Mid-epoch the current weights are nobody's selection: the best ones travel separately.
                storesBestWeights: best !== null,
                timeBudgetSeconds: options.timeBudgetSeconds ?? null,
                elapsedSeconds: elapsedMs() / 1000,
              };
              await options.onStop(() => captureCheckpoint(model, optimizer, best, meta));
            }
            return { history, selectedEpoch: null, cancelled: true };
          }
          if (b > 0 && outOfTime()) break;
          const batchStarted = clock();
          const step = epoch * batchesPerEpoch + b;
          learningRate =
            budgetMs === null
              ? learningRateAt(preset.schedule, preset.optimizer.learningRate, step, totalSteps)
              : learningRateAtProgress(
                  preset.schedule,
                  preset.optimizer.learningRate,
                  step,
                  // Whichever bound the run reaches first: the time, or the epoch cap on a machine faster than planned.
                  Math.max(elapsedMs() / budgetMs, step / Math.max(1, totalSteps - 1)),
                );
          const start = b * batchSize;
          const end = Math.min(start + batchSize, train.count);
          const result = batchGradients(model, variables, assembler, train, order, start, end, {
            augmentation: preset.augmentation,
            random,
            loss,
          });
          optimizer.step(result.grads, learningRate);
          const [oldLoss, oldCorrect] = [lossSum, correctSum];
          lossSum = tf.add(oldLoss, result.lossTimesSize);
          correctSum = tf.add(oldCorrect, result.correct);
          tf.dispose([oldLoss, oldCorrect, result.lossTimesSize, result.correct, ...definedOnly(result.grads)]);
          seen += end - start;
          batchesDone = b + 1;
          await options.onBatch?.({
            epoch: epoch + 1,
            batch: b + 1,
            batchesPerEpoch,
            step: step + 1,
            totalSteps,
            ...(budgetMs !== null ? { secondsLeft: Math.max(0, budgetMs - elapsedMs()) / 1000 } : {}),
            learningRate,
            running,
          });
          // Lets timers and I/O (a cancel request, a heartbeat) run between batches.
          await new Promise<void>((resolve) => setImmediate(resolve));
          batchMs = clock() - batchStarted;
        }
        const { loss: trainLoss, accuracy: trainAccuracy } = running();
        if (signal?.aborted) return { history, selectedEpoch: null, cancelled: true };
        const metrics: EpochMetrics = {
          epoch: epoch + 1,
          trainLoss,
          trainAccuracy,
          valLoss: null,
          valAccuracy: null,
          valMacroF1: null,
          learningRate,
          seconds: 0,
          ...(batchesDone < batchesPerEpoch ? { dataFraction: seen / train.count } : {}),
        };
        if (val !== undefined) {
          const valStarted = clock();
          const probabilities = await predictProbabilities(model, val.pixels, { batchSize: evalBatchSize });
          const report = classificationMetrics(probabilities, val.labels);
          metrics.valLoss = meanCrossEntropy(probabilities, val, preset.labelSmoothing);
          metrics.valAccuracy = report.accuracy;
          metrics.valMacroF1 = report.macroF1;
          if (options.valExtra) {
            metrics.valProtocols = await options.valExtra(probabilities, (pixels) =>
              predictProbabilities(model, pixels, { batchSize: evalBatchSize }),
            );
          }
          valMs = clock() - valStarted;
        }
        metrics.seconds = (performance.now() - started) / 1000;
        history.push(metrics);
        // Strictly greater, as Keras's ModelCheckpoint: the first epoch reaching the best accuracy is kept.
        const selected = !keepBest || best === null || metrics.valAccuracy! > best.accuracy;
        if (keepBest && selected) {
          if (best !== null) tf.dispose(best.weights);
          best = { epoch: epoch + 1, accuracy: metrics.valAccuracy!, weights: snapshotModelWeights(model) };
        }
        const selectedEpoch = keepBest ? best!.epoch : epoch + 1;
        if (options.onEpoch) {
          // The context describes this epoch's end: using it after onEpoch returns would mix in later weights.
          let open = true;
          const guard = <T>(use: () => T): T => {
            if (!open) throw new Error("an epoch's context is only valid while its onEpoch runs");
            return use();
          };
          const meta: TrainingCheckpointMeta = {
            format: "faceloop-training-state",
            version: 1,
            epochsCompleted: epoch + 1,
            totalEpochs,
            batchSize,
            trainCount: train.count,
            seed,
            optimizerIterations: optimizer.iterations,
            batchesCompleted: 0,
            history: [...history],
            selectedEpoch,
            bestValAccuracy: best?.accuracy ?? null,
            storesBestWeights: best !== null && best.epoch !== epoch + 1,
            timeBudgetSeconds: options.timeBudgetSeconds ?? null,
            elapsedSeconds: elapsedMs() / 1000,
          };
          try {
            await options.onEpoch(metrics, {
              selected,
              selectedEpoch,
              snapshotWeights: () => guard(() => snapshotModelWeights(model)),
              checkpoint: () => guard(() => captureCheckpoint(model, optimizer, best, meta)),
            });
          } finally {
            open = false;
          }
        }
      } finally {
        tf.dispose([lossSum, correctSum]);
      }
    }
    if (best !== null) assignModelWeights(model, best.weights);
    const selectedEpoch = best?.epoch ?? history.at(-1)?.epoch ?? null;
    return { history, selectedEpoch, cancelled: false };
  } finally {
    if (best !== null) tf.dispose(best.weights);
    optimizer.dispose();
  }
}

/** Conv, depthwise and dense kernels get weight decay; biases and BatchNorm's gamma and beta do not. */
function isKernel(originalName: string): boolean {
  return /(^|\/)(depthwise_|pointwise_)?kernel(_\d+)?$/.test(originalName);
}

function definedOnly(tensors: (tf.Tensor | undefined)[]): tf.Tensor[] {
  return tensors.filter((t): t is tf.Tensor => t !== undefined);
}
