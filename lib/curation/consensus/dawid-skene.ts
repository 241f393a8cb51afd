/**
 * Dawid & Skene (1979): EM over per-annotator confusion matrices. Each annotator a has a matrix pi_a[j][l], the
 * probability of answering l when the truth is j; the classes have priors. E-step: each item's posterior over the
 * truth given every answer; M-step: priors and matrices from the posteriors. Starts from the weighted vote.
 *
 * Observations carry a weight: an annotator that answered the same item several times (the pooled FER+ crowd, ten
 * votes) is several observations of one annotator, and a soft answer (a model's probabilities) spreads one
 * observation over the classes. Confusion rows get Dirichlet pseudo-counts (`smoothing` everywhere, `diagonal`
 * more on the diagonal) so an annotator seen a few times starts out as "usually right" rather than as noise.
 */
export interface DawidSkeneData {
  items: number;
  classes: number;
  annotators: number;
  /** One entry per observation: item index, annotator index, answered class, weight. */
  item: Int32Array;
  annotator: Int32Array;
  label: Int32Array;
  weight: Float64Array;
}

export interface DawidSkeneModel {
  classes: number;
  priors: Float64Array;
  /** Per annotator, classes x classes row-major: [truth * classes + answer]. */
  confusion: Float64Array[];
}

export interface DawidSkeneOptions {
  maxIterations?: number;
  /** Stop when no posterior moved more than this. */
  tolerance?: number;
  smoothing?: number;
  diagonal?: number;
  /** Posterior of each item to start from (items x classes); the weighted vote when absent. */
  initial?: Float64Array;
  /** Skip fitting: one E-step with this model (labels arriving between full recomputes). */
  model?: DawidSkeneModel;
}

export interface DawidSkeneResult {
  model: DawidSkeneModel;
  /** items x classes, rows summing to 1 (uniform for an item nobody answered). */
  posteriors: Float64Array;
  iterations: number;
  converged: boolean;
}

export function dawidSkene(data: DawidSkeneData, options: DawidSkeneOptions = {}): DawidSkeneResult {
  const { items, classes: K } = data;
  const maxIterations = options.maxIterations ?? 200;
  const tolerance = options.tolerance ?? 1e-4;
  if (options.model) {
    return { model: options.model, posteriors: eStep(data, options.model), iterations: 0, converged: true };
  }
  let posteriors = options.initial ? Float64Array.from(options.initial) : weightedVote(data);
  let model = mStep(data, posteriors, options.smoothing ?? 0.01, options.diagonal ?? 1);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    const next = eStep(data, model);
    let moved = 0;
    for (let i = 0; i < items * K; i++) moved = Math.max(moved, Math.abs(next[i] - posteriors[i]));
    posteriors = next;
    model = mStep(data, posteriors, options.smoothing ?? 0.01, options.diagonal ?? 1);
    if (moved < tolerance) {
      converged = true;
      break;
    }
  }
  return { model, posteriors, iterations, converged };
}

function weightedVote(data: DawidSkeneData): Float64Array {
  const K = data.classes;
  const post = new Float64Array(data.items * K);
  for (let o = 0; o < data.item.length; o++) post[data.item[o] * K + data.label[o]] += data.weight[o];
  normaliseRows(post, K);
  return post;
}

function mStep(data: DawidSkeneData, post: Float64Array, smoothing: number, diagonal: number): DawidSkeneModel {
  const K = data.classes;
  const priors = new Float64Array(K).fill(1); // add-one: no class gets prior 0
  for (let i = 0; i < data.items; i++) for (let j = 0; j < K; j++) priors[j] += post[i * K + j];
  const total = priors.reduce((a, b) => a + b, 0);
  for (let j = 0; j < K; j++) priors[j] /= total;
  const confusion = Array.from({ length: data.annotators }, () => {
    const m = new Float64Array(K * K).fill(smoothing);
    for (let j = 0; j < K; j++) m[j * K + j] += diagonal;
    return m;
  });
  for (let o = 0; o < data.item.length; o++) {
    const m = confusion[data.annotator[o]];
    const base = data.item[o] * K;
    const l = data.label[o];
    const w = data.weight[o];
    for (let j = 0; j < K; j++) m[j * K + l] += w * post[base + j];
  }
  for (const m of confusion) normaliseRows(m, K);
  return { classes: K, priors, confusion };
}

function eStep(data: DawidSkeneData, model: DawidSkeneModel): Float64Array {
  const K = data.classes;
  const logPriors = Array.from(model.priors, Math.log);
  const logConfusion = model.confusion.map((m) => Float64Array.from(m, Math.log));
  const log = new Float64Array(data.items * K);
  for (let i = 0; i < data.items; i++) for (let j = 0; j < K; j++) log[i * K + j] = logPriors[j];
  for (let o = 0; o < data.item.length; o++) {
    const lm = logConfusion[data.annotator[o]];
    const base = data.item[o] * K;
    const l = data.label[o];
    const w = data.weight[o];
    for (let j = 0; j < K; j++) log[base + j] += w * lm[j * K + l];
  }
  // Softmax per item.
  for (let i = 0; i < data.items; i++) {
    let max = -Infinity;
    for (let j = 0; j < K; j++) max = Math.max(max, log[i * K + j]);
    let sum = 0;
    for (let j = 0; j < K; j++) sum += log[i * K + j] = Math.exp(log[i * K + j] - max);
    for (let j = 0; j < K; j++) log[i * K + j] /= sum;
  }
  return log;
}

function normaliseRows(values: Float64Array, width: number): void {
  for (let r = 0; r < values.length / width; r++) {
    let sum = 0;
    for (let c = 0; c < width; c++) sum += values[r * width + c];
    for (let c = 0; c < width; c++) values[r * width + c] = sum > 0 ? values[r * width + c] / sum : 1 / width;
  }
}

/** Builds the observation arrays from plain records (tests, small inputs). */
export function dawidSkeneData(
  shape: { items: number; classes: number; annotators: number },
  observations: readonly { item: number; annotator: number; label: number; weight?: number }[],
): DawidSkeneData {
  return {
    ...shape,
    item: Int32Array.from(observations, (o) => o.item),
    annotator: Int32Array.from(observations, (o) => o.annotator),
    label: Int32Array.from(observations, (o) => o.label),
    weight: Float64Array.from(observations, (o) => o.weight ?? 1),
  };
}
