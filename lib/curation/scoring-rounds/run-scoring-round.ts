import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { queryRows } from "../../db/query-rows";

import { FACE_PIXELS } from "../../images/face-format";
import { readFaces } from "../../images/face-shards";
import { getModelSpec } from "../../models";
import { FAST_PRESET } from "../../models/presets";
import type { ObjectStore } from "../../storage/object-store";
import { scoreFaces } from "../../training/evaluate";
import { createFaceDataset, subsetFaceDataset } from "../../training/face-dataset";
import { trainModel } from "../../training/train-model";
import { loadLabelledSet } from "../load-labelled-set";
import { foldOf, type ScoringRoundConfig } from "./scoring-round-config";
import {
  addAveragedScores,
  finishScoringRound,
  markFoldDone,
  openScoringRound,
  writeEmbeddings,
  writeHeldOutScores,
} from "./scoring-round-store";

export interface ScoringRoundProgress {
  phase: "loading" | "training" | "scoring" | "done";
  fold?: number;
  folds: number;
  epoch?: number;
  batch?: number;
  batches?: number;
  secondsLeft?: number;
  message?: string;
}

export interface ScoringRoundResult {
  roundId: number;
  status: "complete" | "cancelled";
  seconds: number;
  folds: { fold: number; trainFaces: number; heldOut: number; heldOutAccuracy: number; seconds: number }[];
}

/**
 * One scoring round: K-fold cross-validation of a fast model over the train split (FER-2013 labels), each fold's
 * model scoring only the train faces it did not train on, and every face outside train (val, test, uploads), whose
 * probabilities are averaged over the fold models. Fold 0's model also embeds every face (one embedding space for
 * diversity). Resumable per fold: a resumed run skips the folds its round already recorded.
 */
export async function runScoringRound(
  db: Database,
  store: ObjectStore,
  run: { runId: number; config: ScoringRoundConfig },
  options: { signal?: AbortSignal; onProgress?: (p: ScoringRoundProgress) => void; log?: (m: string) => void } = {},
): Promise<ScoringRoundResult> {
  const { config } = run;
  const K = config.folds;
  const log = options.log ?? (() => {});
  const report = options.onProgress ?? (() => {});
  const started = performance.now();
  const round = await openScoringRound(db, { runId: run.runId, modelName: config.modelName, folds: K });
  const done = new Set(round.foldsDone.map((f) => f.fold));
  const foldResults = [...round.foldsDone];

  report({ phase: "loading", folds: K, message: "reading labels and faces" });
  // Each face once, even where a loader lists a face twice (a duplicate with two FER+ rows).
  const seen = new Set<number>();
  let labelled = (await loadLabelledSet(db, "train", "original")).filter((l) => !seen.has(l.imageId) && seen.add(l.imageId));
  if (config.maxTrainImages !== undefined) labelled = labelled.slice(0, config.maxTrainImages);
  const trainPixels = await pixelsOf(store, labelled);
  const train = createFaceDataset({ pixels: trainPixels, labels: labelled.map((l) => l.label) });
  const trainIds = labelled.map((l) => l.imageId);
  const others = await queryRows<{ id: number; storage_key: string; storage_offset: number }>(
    db,
    sql`select id, storage_key, storage_offset from images where status = 'active' and split <> 'train' order by id`,
  );
  const otherIds = others.map((o) => o.id);
  const otherPixels = await pixelsOf(store, others.map((o) => ({ storageKey: o.storage_key, storageOffset: o.storage_offset })));
  const folds = trainIds.map((id) => foldOf(id, K, config.seed));
  log(`scoring round ${round.id}: ${train.count} train faces in ${K} folds, ${otherIds.length} other faces`);

  const spec = getModelSpec(config.modelName);
  const preset = { ...FAST_PRESET, epochs: config.epochs };
  const budgetPerFold = config.timeBudgetMinutes !== undefined ? (config.timeBudgetMinutes * 60) / K : undefined;
  for (let fold = 0; fold < K; fold++) {
    if (done.has(fold)) continue;
    if (options.signal?.aborted) break;
    const foldStarted = performance.now();
    const inFold: number[] = [];
    const outOfFold: number[] = [];
    folds.forEach((f, i) => (f === fold ? inFold : outOfFold).push(i));
    const model = spec.build();
    const embedAll = fold === 0 && config.embed;
    try {
      const result = await trainModel({
        model,
        preset,
        train: subsetFaceDataset(train, outOfFold),
        epochs: config.epochs,
        timeBudgetSeconds: budgetPerFold,
        seed: config.seed + fold,
        signal: options.signal,
        onBatch: (p) =>
          report({
            phase: "training",
            fold,
            folds: K,
            epoch: p.epoch,
            batch: p.batch,
            batches: p.batchesPerEpoch,
            secondsLeft: p.secondsLeft,
          }),
      });
      if (result.cancelled) break;
      report({ phase: "scoring", fold, folds: K, message: `fold ${fold + 1}/${K}: scoring held-out and other faces` });
      // One forward pass per face: fold 0's pass also embeds every face (train faces it trained on included: the
      // embedding is for diversity, not an out-of-sample score), later folds score only the faces they judge.
      const heldOut = subsetFaceDataset(train, inFold);
      const heldOutScores = await scoreFaces(model, heldOut.pixels, { embedding: embedAll, signal: options.signal });
      let right = 0;
      for (let i = 0; i < heldOut.count; i++) if (heldOutScores.predicted[i] === heldOut.labels[i]) right++;
      const heldOutIds = inFold.map((i) => trainIds[i]);
      await writeHeldOutScores(db, round.id, fold, heldOutIds, heldOutScores.probabilities);
      const otherScores = await scoreFaces(model, otherPixels, { embedding: embedAll, signal: options.signal });
      await addAveragedScores(db, round.id, otherIds, otherScores.probabilities);
      if (embedAll) {
        report({ phase: "scoring", fold, folds: K, message: "embedding every face" });
        const rest = subsetFaceDataset(train, outOfFold);
        const restScores = await scoreFaces(model, rest.pixels, { embedding: true, signal: options.signal });
        for (const [ids, scores] of [
          [heldOutIds, heldOutScores],
          [otherIds, otherScores],
          [outOfFold.map((i) => trainIds[i]), restScores],
        ] as const) {
          if (scores.embedding && scores.embeddingSize) await writeEmbeddings(db, round.id, ids, scores.embedding, scores.embeddingSize);
        }
      }
      const entry = {
        fold,
        trainFaces: outOfFold.length,
        heldOut: inFold.length,
        heldOutAccuracy: inFold.length > 0 ? right / inFold.length : 0,
        seconds: (performance.now() - foldStarted) / 1000,
      };
      await markFoldDone(db, round.id, entry);
      foldResults.push(entry);
      log(
        `scoring round ${round.id}: fold ${fold + 1}/${K} held-out accuracy ${(100 * entry.heldOutAccuracy).toFixed(1)} % ` +
          `(${entry.heldOut} faces, FER-2013 labels) in ${entry.seconds.toFixed(0)} s`,
      );
    } finally {
      model.dispose();
    }
  }
  const seconds = (performance.now() - started) / 1000;
  if (foldResults.length < K) return { roundId: round.id, status: "cancelled", seconds, folds: foldResults };
  await finishScoringRound(db, round.id, { status: "complete", seconds });
  report({ phase: "done", folds: K, message: `round ${round.id} complete` });
  return { roundId: round.id, status: "complete", seconds, folds: foldResults };
}

async function pixelsOf(store: ObjectStore, locations: readonly { storageKey: string; storageOffset: number }[]) {
  const faces = await readFaces(store, locations);
  const pixels = new Uint8Array(faces.length * FACE_PIXELS);
  faces.forEach((face, i) => pixels.set(face, i * FACE_PIXELS));
  return pixels;
}

