import type * as tf from "@tensorflow/tfjs";
import type { Database } from "../db/client";
import { FACE_PIXELS } from "../images/face-format";
import { type FaceLocation, readFaces } from "../images/face-shards";
import type { ObjectStore } from "../storage/object-store";
import { evaluateModel, evaluateWithViews, predictProbabilities } from "../training/evaluate";
import { classCounts, createFaceDataset } from "../training/face-dataset";
import {
  type BenchmarkRows,
  describePerRow,
  loadBenchmarkRows,
  PER_FACE_PROTOCOL,
  type PerRowAccuracy,
  rowScorer,
} from "./benchmark-rows";
import { ensureEvaluationLabelSets, labelSetTitle, loadEvaluationLabels } from "./evaluation-label-sets";

/**
 * A version's test figures, each named by protocol, split and labels: per distinct face against every frozen
 * evaluation label set (the first, "original", is the headline and the one recorded on the version), and per FER-2013
 * row of PrivateTest when FER-2013 rows are there.
 */
export interface TestReport {
  labelSetId: number;
  metrics: Record<string, unknown> & { protocol: string; split: "test"; labels: string; accuracy: number };
  /** The headline set's per-face predictions (plain view, canonical order), stored for the leaderboard (#13). */
  predictions: { imageIds: number[]; labels: number[]; probabilities: Float32Array };
}

export async function readFacePixels(store: ObjectStore, faces: readonly FaceLocation[]): Promise<Uint8Array> {
  const read = await readFaces(store, faces);
  const pixels = new Uint8Array(faces.length * FACE_PIXELS);
  read.forEach((face, i) => pixels.set(face, i * FACE_PIXELS));
  return pixels;
}

/** Share of the most common class: what answering that class for every face would score. */
export function majorityClassRate(labels: ArrayLike<number>): number {
  const counts = classCounts(labels);
  const total = counts.reduce((a, b) => a + b, 0);
  return total === 0 ? 0 : Math.max(...counts) / total;
}

/** Per-row accuracy of a model on benchmark rows (predicting each distinct face once). */
export async function measureRows(model: tf.LayersModel, store: ObjectStore, rows: BenchmarkRows): Promise<PerRowAccuracy> {
  const scorer = rowScorer(rows, []);
  const probabilities = await predictProbabilities(model, await readFacePixels(store, scorer.extra));
  return scorer.measure(new Float32Array(0), probabilities);
}

export async function evaluateOnLabelSets(db: Database, store: ObjectStore, model: tf.LayersModel): Promise<TestReport | null> {
  const sets = await ensureEvaluationLabelSets(db);
  const bySet: Record<string, unknown>[] = [];
  let headline: TestReport | null = null;
  for (const set of sets) {
    const faces = await loadEvaluationLabels(db, set.id, "test");
    if (faces.length === 0) continue;
    const dataset = createFaceDataset({ pixels: await readFacePixels(store, faces), labels: faces.map((f) => f.label) });
    const labels = labelSetTitle(set);
    if (headline === null) {
      let probabilities: Float32Array = new Float32Array(0);
      const metrics = await evaluateWithViews(model, dataset, { onPlainProbabilities: (p) => (probabilities = p) });
      headline = {
        labelSetId: set.id,
        predictions: { imageIds: faces.map((f) => f.imageId), labels: faces.map((f) => f.label), probabilities },
        metrics: { protocol: PER_FACE_PROTOCOL, split: "test", labels, labelSetId: set.id, ...metrics, otherLabelSets: bySet },
      };
    } else {
      const { count, accuracy, macroF1 } = await evaluateModel(model, dataset);
      bySet.push({ protocol: PER_FACE_PROTOCOL, split: "test", labels, labelSetId: set.id, count, accuracy, macroF1 });
    }
  }
  const rows = await loadBenchmarkRows(db, "PrivateTest");
  if (headline && rows.labels.length > 0) headline.metrics.perRow = await measureRows(model, store, rows);
  return headline;
}

const pct = (x: number) => `${(100 * x).toFixed(2)} %`;

/** The log lines of a finished evaluation, every figure named. */
export function describeEvaluation(
  val: { accuracy: number; count: number; labels: string; perRow: PerRowAccuracy | null; viewAveragedAccuracy?: { flip: number; shiftFlip: number } } | null,
  test: TestReport | null,
): string[] {
  const lines: string[] = [];
  if (val) {
    lines.push(
      `val per face ${pct(val.accuracy)} (${val.count} faces, ${val.labels} labels; averaged over flips ${pct(val.viewAveragedAccuracy?.flip ?? 0)}, over 10 shifts and flips ${pct(val.viewAveragedAccuracy?.shiftFlip ?? 0)})`,
    );
    if (val.perRow) lines.push(`val ${describePerRow(val.perRow)}`);
  }
  if (test) {
    const m = test.metrics as TestReport["metrics"] & { count: number; otherLabelSets: { labels: string; accuracy: number; count: number }[]; perRow?: PerRowAccuracy };
    lines.push(`test per face ${pct(m.accuracy)} (${m.count} faces, frozen label set ${m.labels})`);
    for (const other of m.otherLabelSets) lines.push(`test per face ${pct(other.accuracy)} (${other.count} faces, frozen label set ${other.labels})`);
    if (m.perRow) lines.push(`test ${describePerRow(m.perRow)}`);
  }
  return lines;
}
