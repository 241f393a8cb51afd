import { NUM_EMOTIONS } from "../../emotions";
import { type DawidSkeneModel, type DawidSkeneOptions, dawidSkene } from "./dawid-skene";
import { type FaceConsensus, type FaceOpinions, judgedNotAFace } from "./face-opinions";

/** The sources Dawid-Skene models as annotators besides each person (by user id). */
export const ORIGINAL_ANNOTATOR = "source:fer2013";
export const CROWD_ANNOTATOR = "source:ferplus";
/** A model's out-of-sample probabilities, when given (a soft annotator: one observation spread over the classes). */
export const MODEL_ANNOTATOR = "source:model";

export interface FaceDawidSkeneOptions extends Omit<DawidSkeneOptions, "model" | "initial"> {
  /**
   * How much the pooled crowd's votes weigh in total per face (its votes are rescaled to sum to this); unset: each
   * vote is one observation. Ten votes from one pooled "annotator" are not ten independent witnesses.
   */
  crowdWeight?: number;
  /** Weight of each original (FER-2013) label; 1 by default. Below 1 trusts the dataset's own label less. */
  originalWeight?: number;
  /** Weight of a face's model probabilities (FaceOpinions.model) in total; 1 by default. */
  modelWeight?: number;
  /** A fitted model to apply without refitting (annotators it does not know get a fresh "usually right" matrix). */
  model?: FaceDawidSkeneModel;
}

export interface FaceDawidSkeneModel {
  annotators: string[];
  model: DawidSkeneModel;
}

export interface FaceDawidSkeneResult {
  consensus: FaceConsensus[];
  model: FaceDawidSkeneModel;
  iterations: number;
}

/**
 * Dawid-Skene over faces: the FER-2013 label as one annotator, the FER+ crowd as one pooled annotator, each person as
 * one; class priors estimated. Faces people judged not a face get no label.
 */
export function faceDawidSkene(faces: readonly FaceOpinions[], options: FaceDawidSkeneOptions = {}): FaceDawidSkeneResult {
  const annotatorIndex = new Map<string, number>();
  options.model?.annotators.forEach((a, i) => annotatorIndex.set(a, i));
  const indexOf = (name: string) => {
    let i = annotatorIndex.get(name);
    if (i === undefined) annotatorIndex.set(name, (i = annotatorIndex.size));
    return i;
  };
  const item: number[] = [];
  const annotator: number[] = [];
  const label: number[] = [];
  const weight: number[] = [];
  const push = (i: number, a: number, l: number, w: number) => {
    if (l < 0 || l >= NUM_EMOTIONS || w <= 0) return;
    item.push(i);
    annotator.push(a);
    label.push(l);
    weight.push(w);
  };
  faces.forEach((face, i) => {
    for (const l of face.original) push(i, indexOf(ORIGINAL_ANNOTATOR), l, options.originalWeight ?? 1);
    face.model?.forEach((p, l) => push(i, indexOf(MODEL_ANNOTATOR), l, p * (options.modelWeight ?? 1)));
    if (face.crowd) {
      const total = face.crowd.reduce((a, b) => a + b, 0);
      const scale = options.crowdWeight !== undefined && total > 0 ? options.crowdWeight / total : 1;
      face.crowd.forEach((n, l) => push(i, indexOf(CROWD_ANNOTATOR), l, n * scale));
    }
    for (const p of face.people) push(i, indexOf(p.annotatorId), p.label, 1);
  });
  const annotators = [...annotatorIndex.keys()];
  const data = {
    items: faces.length,
    classes: NUM_EMOTIONS,
    annotators: annotators.length,
    item: Int32Array.from(item),
    annotator: Int32Array.from(annotator),
    label: Int32Array.from(label),
    weight: Float64Array.from(weight),
  };
  let fixed: DawidSkeneModel | undefined;
  if (options.model) {
    const known = options.model.model;
    const confusion = annotators.map((_, a) => known.confusion[a] ?? usuallyRight(NUM_EMOTIONS, options.diagonal ?? 1, options.smoothing ?? 0.01));
    fixed = { ...known, confusion };
  }
  const result = dawidSkene(data, { ...options, model: fixed });
  const K = NUM_EMOTIONS;
  const consensus = faces.map((face, i): FaceConsensus => {
    const distribution = Array.from(result.posteriors.subarray(i * K, (i + 1) * K));
    const answered = face.original.length > 0 || (face.crowd?.some((n) => n > 0) ?? false) || face.people.length > 0;
    if (!answered || judgedNotAFace(face))
      return { imageId: face.imageId, label: null, confidence: 0, distribution, method: "dawid-skene" };
    const best = Math.max(...distribution);
    return { imageId: face.imageId, label: distribution.indexOf(best), confidence: best, distribution, method: "dawid-skene" };
  });
  return { consensus, model: { annotators, model: result.model }, iterations: result.iterations };
}

function usuallyRight(K: number, diagonal: number, smoothing: number): Float64Array {
  const m = new Float64Array(K * K);
  for (let j = 0; j < K; j++) {
    for (let l = 0; l < K; l++) m[j * K + l] = smoothing + (j === l ? diagonal : 0);
    const sum = diagonal + K * smoothing;
    for (let l = 0; l < K; l++) m[j * K + l] /= sum;
  }
  return m;
}
