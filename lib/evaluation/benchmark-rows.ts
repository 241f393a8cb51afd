import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { queryRows } from "../db/query-rows";
import { NUM_EMOTIONS } from "../emotions";
import type { FaceLocation } from "../images/face-shards";
import { FER2013_SOURCE } from "../import/vote-batch-writer";

/**
 * The benchmark protocol of the FER literature: accuracy per FER-2013 row of PublicTest or PrivateTest (3,589 rows
 * each), against each row's own FER-2013 label. A face that occurs in two rows counts twice here, as in the papers;
 * rows whose face was judged not a face (FER+ majority, annotators) are still counted, and also reported apart.
 * faceloop's own protocol is per distinct face (lib/evaluation/evaluation-report.ts).
 */
export type BenchmarkUsage = "PublicTest" | "PrivateTest";
export const PER_ROW_PROTOCOL = "per-fer2013-row";
export const PER_FACE_PROTOCOL = "per-face";

/** FER-2013's usages map to the splits the importer declares for their rows. */
const DECLARED_SPLIT: Record<BenchmarkUsage, "val" | "test"> = { PublicTest: "val", PrivateTest: "test" };

export interface BenchmarkRows {
  usage: BenchmarkUsage;
  /** Per row: the index of its face in `faces`, its FER-2013 label, whether that face is judged not a face. */
  faceIndex: Int32Array;
  labels: Int8Array;
  notFace: Uint8Array;
  /** The distinct faces of the rows, in image id order. */
  faces: (FaceLocation & { imageId: number })[];
}

export async function loadBenchmarkRows(db: Database, usage: BenchmarkUsage): Promise<BenchmarkRows> {
  const rows = await queryRows<{ image_id: number; label: number; not_face: boolean; storage_key: string; storage_offset: number }>(
    db,
    sql`select s.image_id, s.original_label as label, i.status = 'not_face' as not_face, i.storage_key, i.storage_offset
        from image_sources s join images i on i.id = s.image_id
        where s.source = ${FER2013_SOURCE} and s.declared_split = ${DECLARED_SPLIT[usage]}
          and s.original_label between 0 and ${NUM_EMOTIONS - 1}
        order by s.image_id, s.id`,
  );
  const faces: BenchmarkRows["faces"] = [];
  const faceIndex = new Int32Array(rows.length);
  rows.forEach((row, i) => {
    if (faces.at(-1)?.imageId !== row.image_id) {
      faces.push({ imageId: row.image_id, storageKey: row.storage_key, storageOffset: row.storage_offset });
    }
    faceIndex[i] = faces.length - 1;
  });
  return {
    usage,
    faceIndex,
    labels: Int8Array.from(rows, (r) => r.label),
    notFace: Uint8Array.from(rows, (r) => (r.not_face ? 1 : 0)),
    faces,
  };
}

/** Per-row accuracy, comparable with a paper's figure for the same usage. */
export interface PerRowAccuracy {
  protocol: typeof PER_ROW_PROTOCOL;
  usage: BenchmarkUsage;
  labels: "fer2013";
  /** All rows (the papers' denominator). */
  rows: number;
  accuracy: number;
  /** Rows whose face is a face, and rows judged not a face, apart. */
  faceRows: { rows: number; accuracy: number };
  notFaceRows: { rows: number; accuracy: number };
}

/** Scores the rows from each distinct face's predicted class (`predicted[faceIndex]`). */
export function perRowAccuracy(rows: BenchmarkRows, predicted: ArrayLike<number>): PerRowAccuracy {
  let correct = 0;
  const face = { rows: 0, correct: 0 };
  const notFace = { rows: 0, correct: 0 };
  for (let i = 0; i < rows.labels.length; i++) {
    const hit = predicted[rows.faceIndex[i]] === rows.labels[i] ? 1 : 0;
    correct += hit;
    const bucket = rows.notFace[i] ? notFace : face;
    bucket.rows++;
    bucket.correct += hit;
  }
  const rate = (c: number, n: number) => (n === 0 ? 0 : c / n);
  return {
    protocol: PER_ROW_PROTOCOL,
    usage: rows.usage,
    labels: "fer2013",
    rows: rows.labels.length,
    accuracy: rate(correct, rows.labels.length),
    faceRows: { rows: face.rows, accuracy: rate(face.correct, face.rows) },
    notFaceRows: { rows: notFace.rows, accuracy: rate(notFace.correct, notFace.rows) },
  };
}

/** "61.23 % per FER-2013 row (3,589 PublicTest rows; 17 not-a-face rows: 23.53 %)" */
export function describePerRow(result: PerRowAccuracy): string {
  const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
  return (
    `${pct(result.accuracy)} per FER-2013 row (${result.rows} ${result.usage} rows, FER-2013 labels; ` +
    `${result.notFaceRows.rows} not-a-face rows: ${pct(result.notFaceRows.accuracy)})`
  );
}

/**
 * Scores benchmark rows from predictions made for another set of faces (the val split during training), reading only
 * the faces that set lacks (`extra`: not-a-face faces, duplicates moved to test, faces without a label under the policy).
 */
export interface RowScorer {
  extra: (FaceLocation & { imageId: number })[];
  /** Probabilities [known, 7] in `knownImageIds` order, and [extra, 7]. */
  measure(knownProbabilities: Float32Array, extraProbabilities: Float32Array): PerRowAccuracy;
}

export function rowScorer(rows: BenchmarkRows, knownImageIds: readonly number[]): RowScorer {
  const known = new Map(knownImageIds.map((id, i) => [id, i]));
  const extra = rows.faces.filter((f) => !known.has(f.imageId));
  const extraIndex = new Map(extra.map((f, i) => [f.imageId, i]));
  return {
    extra,
    measure(knownProbabilities, extraProbabilities) {
      const predicted = rows.faces.map((f) => {
        const k = known.get(f.imageId);
        return k !== undefined ? argmax(knownProbabilities, k) : argmax(extraProbabilities, extraIndex.get(f.imageId)!);
      });
      return perRowAccuracy(rows, predicted);
    },
  };
}

function argmax(probabilities: Float32Array, row: number): number {
  let best = 0;
  for (let c = 1; c < NUM_EMOTIONS; c++) {
    if (probabilities[row * NUM_EMOTIONS + c] > probabilities[row * NUM_EMOTIONS + best]) best = c;
  }
  return best;
}
