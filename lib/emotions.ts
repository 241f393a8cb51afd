/**
 * The one place where class orders meet. Everything inside faceloop (database labels, model outputs, exports) uses
 * the canonical order, which is FER-2013's own: 0 Angry, 1 Disgust, 2 Fear, 3 Happy, 4 Sad, 5 Surprise, 6 Neutral.
 * Other orders (the msambare folder layout's alphabetical one, FER+'s vote columns) convert here and nowhere else.
 */

export const EMOTIONS = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"] as const;
export type Emotion = (typeof EMOTIONS)[number];
/** A canonical class index, 0..6. */
export type EmotionIndex = 0 | 1 | 2 | 3 | 4 | 5 | 6;
export const NUM_EMOTIONS = EMOTIONS.length;

export const EMOTION_LABELS: Record<Emotion, string> = {
  angry: "Angry",
  disgust: "Disgust",
  fear: "Fear",
  happy: "Happy",
  sad: "Sad",
  surprise: "Surprise",
  neutral: "Neutral",
};

export function isEmotionIndex(value: unknown): value is EmotionIndex {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value < NUM_EMOTIONS;
}

export function emotionName(index: EmotionIndex): Emotion {
  return EMOTIONS[index];
}

export function emotionIndex(name: Emotion): EmotionIndex {
  return EMOTIONS.indexOf(name) as EmotionIndex;
}

// --- FER-2013 CSV: its `emotion` column is already canonical.
export function fromFer2013Label(label: number): EmotionIndex | null {
  return isEmotionIndex(label) ? label : null;
}

// --- The msambare folder layout (train|test/<emotion>/*.jpg) and the seed's models: alphabetical order.
export const FOLDER_ORDER = ["angry", "disgust", "fear", "happy", "neutral", "sad", "surprise"] as const satisfies readonly Emotion[];

export function fromFolderName(folder: string): EmotionIndex | null {
  const name = folder.trim().toLowerCase();
  return (EMOTIONS as readonly string[]).includes(name) ? emotionIndex(name as Emotion) : null;
}

export function fromFolderIndex(alphabetical: number): EmotionIndex | null {
  const name = FOLDER_ORDER[alphabetical];
  return name === undefined ? null : emotionIndex(name);
}

export function toFolderIndex(index: EmotionIndex): number {
  return (FOLDER_ORDER as readonly Emotion[]).indexOf(EMOTIONS[index]);
}

// --- FER+ (fer2013new.csv): 10 votes over these columns, in this order.
export const FERPLUS_COLUMNS = [
  "neutral",
  "happiness",
  "surprise",
  "sadness",
  "anger",
  "disgust",
  "fear",
  "contempt",
  "unknown",
  "NF",
] as const;
export type FerPlusColumn = (typeof FERPLUS_COLUMNS)[number];

/** Canonical index for each FER+ column; contempt, unknown and NF (not a face) have no FER-2013 class. */
export const FERPLUS_TO_CANONICAL: Record<FerPlusColumn, EmotionIndex | null> = {
  neutral: 6,
  happiness: 3,
  surprise: 5,
  sadness: 4,
  anger: 0,
  disgust: 1,
  fear: 2,
  contempt: null,
  unknown: null,
  NF: null,
};

/** Converts FER+ votes (in FERPLUS_COLUMNS order) to counts per canonical class; non-emotion columns are dropped. */
export function ferPlusVotesToCanonical(votes: readonly number[]): number[] {
  const counts = new Array<number>(NUM_EMOTIONS).fill(0);
  FERPLUS_COLUMNS.forEach((column, i) => {
    const target = FERPLUS_TO_CANONICAL[column];
    if (target !== null) counts[target] += votes[i] ?? 0;
  });
  return counts;
}

/** The FER+ column a canonical class (or NOT_A_FACE) is counted in, for writing fer2013new.csv-style votes. */
export function toFerPlusColumnIndex(label: number): number {
  if (label === NOT_A_FACE) return FERPLUS_COLUMNS.indexOf("NF");
  if (!isEmotionIndex(label)) throw new RangeError(`not a canonical class: ${label}`);
  return FERPLUS_COLUMNS.findIndex((column) => FERPLUS_TO_CANONICAL[column] === label);
}

/** Reorders a vector given in `from` order (e.g. a seed model's alphabetical softmax) into canonical order. */
export function reorderToCanonical<T>(values: readonly T[], from: readonly Emotion[]): T[] {
  if (values.length !== from.length) throw new Error(`expected ${from.length} values, got ${values.length}`);
  const out = new Array<T>(NUM_EMOTIONS);
  from.forEach((name, i) => {
    out[emotionIndex(name)] = values[i];
  });
  return out;
}

/** Not-a-face is a decision an annotator can make too; stored as this label value, outside 0..6. */
export const NOT_A_FACE = -1;

// --- Outside models: their outputs come in an order their maker states, by name or as the seven class names.
export const NAMED_CLASS_ORDERS = { fer2013: EMOTIONS, alphabetical: FOLDER_ORDER } as const;

/**
 * A stated class order: "fer2013", "alphabetical" (the msambare folders), or the seven emotion names in output
 * order, comma-separated ("happy,sad,..."; FER+'s names such as "happiness" and "anger" are understood). Null
 * unless it names each of the seven classes exactly once.
 */
export function parseClassOrder(stated: string): readonly Emotion[] | null {
  const key = stated.trim().toLowerCase();
  if (key in NAMED_CLASS_ORDERS) return NAMED_CLASS_ORDERS[key as keyof typeof NAMED_CLASS_ORDERS];
  const names = key.split(/[\s,]+/).filter(Boolean);
  const emotions = names.map((name): Emotion | null => {
    if ((EMOTIONS as readonly string[]).includes(name)) return name as Emotion;
    const fromFerPlus = FERPLUS_TO_CANONICAL[name as FerPlusColumn];
    return fromFerPlus === undefined || fromFerPlus === null ? null : EMOTIONS[fromFerPlus];
  });
  if (emotions.length !== NUM_EMOTIONS || emotions.some((e) => e === null)) return null;
  return new Set(emotions).size === NUM_EMOTIONS ? (emotions as Emotion[]) : null;
}

/** Rows of probabilities ([count, 7], in `from` order) reordered into canonical order. */
export function reorderRowsToCanonical(rows: Float32Array, from: readonly Emotion[]): Float32Array {
  const out = new Float32Array(rows.length);
  const target = from.map((name) => emotionIndex(name));
  for (let base = 0; base < rows.length; base += NUM_EMOTIONS) {
    for (let i = 0; i < NUM_EMOTIONS; i++) out[base + target[i]] = rows[base + i];
  }
  return out;
}
