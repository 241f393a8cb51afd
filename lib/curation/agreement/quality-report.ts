import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { queryRows } from "../../db/query-rows";
import { NUM_EMOTIONS } from "../../emotions";
import { getConsensusLabels } from "../consensus/get-consensus-labels";
import { CROWD_ANNOTATOR, ORIGINAL_ANNOTATOR } from "../consensus/face-dawid-skene";
import { voteCounts } from "../consensus/face-opinions";
import { loadFaceOpinions } from "../consensus/load-face-opinions";
import { loadDawidSkeneModel } from "../consensus/recompute-consensus";
import { latestCompleteRound, type ScoringRound } from "../scoring-rounds/scoring-round-store";
import { strategyRanksRound } from "../strategy-ranks/rebuild-strategy-ranks";
import { annotatorAccuracy, type AnnotatorAccuracy } from "./annotator-accuracy";
import { type FleissKappa, fleissKappa } from "./fleiss-kappa";
import { krippendorffAlphaNominal } from "./krippendorff-alpha";

export interface AgreementFigures {
  /** Which opinions were counted. */
  scope: string;
  faces: number;
  fleiss: FleissKappa;
  krippendorffAlpha: number;
}

export interface AnnotatorQuality extends AnnotatorAccuracy {
  name: string;
  /** Dawid-Skene's estimate of their confusion (rows: true class, columns: their answer), probabilities. */
  estimatedConfusion: number[][] | null;
}

export interface QualityReport {
  agreement: AgreementFigures[];
  /** Faces whose majority and Dawid-Skene labels differ. */
  methodDisagreements: number;
  consensusFaces: number;
  annotators: AnnotatorQuality[];
  dawidSkenePriors: number[] | null;
  latestRound: ScoringRound | null;
  queueRankedFrom: number | null;
}

/**
 * Everything the quality page shows: Fleiss' kappa (overall and per class) and Krippendorff's alpha over all
 * opinions (FER-2013 label, each FER+ vote, each person) and over people alone; each person's accuracy against the
 * Dawid-Skene consensus with their confusion matrix, beside Dawid-Skene's own estimate of it; which scoring round
 * the queue uses.
 */
export async function getQualityReport(db: Database): Promise<QualityReport> {
  const ds = await getConsensusLabels(db, "dawid-skene");
  const majority = await getConsensusLabels(db, "majority");
  const faces = await loadFaceOpinions(db);
  const all = faces.map(voteCounts);
  const peopleOnly = faces.map((f) => {
    const row = new Array<number>(NUM_EMOTIONS).fill(0);
    for (const p of f.people) row[p.label]++;
    return row;
  });
  const figures = (scope: string, rows: number[][]): AgreementFigures => {
    const rated = rows.filter((r) => r.reduce((a, b) => a + b, 0) >= 2);
    return { scope, faces: rated.length, fleiss: fleissKappa(rated), krippendorffAlpha: krippendorffAlphaNominal(rated) };
  };
  const consensus = new Map(ds.map((c) => [c.imageId, c.label]));
  const majorityById = new Map(majority.map((c) => [c.imageId, c.label]));
  let methodDisagreements = 0;
  for (const c of ds) if (c.label !== null && majorityById.get(c.imageId) !== c.label) methodDisagreements++;

  const labels = faces.flatMap((f) => [
    ...f.people.map((p) => ({ annotatorId: p.annotatorId, imageId: f.imageId, label: p.label })),
    ...f.original.slice(0, 1).map((label) => ({ annotatorId: ORIGINAL_ANNOTATOR, imageId: f.imageId, label })),
  ]);
  const model = await loadDawidSkeneModel(db);
  const names = await personNames(db);
  const annotators = annotatorAccuracy(labels, consensus).map((a) => {
    const index = model?.annotators.indexOf(a.annotatorId) ?? -1;
    const matrix = index >= 0 ? model!.model.confusion[index] : null;
    return {
      ...a,
      name: a.annotatorId === ORIGINAL_ANNOTATOR ? "FER-2013 label" : (names.get(a.annotatorId) ?? a.annotatorId),
      estimatedConfusion: matrix
        ? Array.from({ length: NUM_EMOTIONS }, (_, j) => Array.from(matrix.subarray(j * NUM_EMOTIONS, (j + 1) * NUM_EMOTIONS)))
        : null,
    };
  });
  const crowdIndex = model?.annotators.indexOf(CROWD_ANNOTATOR) ?? -1;
  if (crowdIndex >= 0) {
    const matrix = model!.model.confusion[crowdIndex];
    annotators.push({
      annotatorId: CROWD_ANNOTATOR,
      name: "FER+ crowd (pooled)",
      labels: faces.reduce((a, f) => a + (f.crowd?.reduce((x, y) => x + y, 0) ?? 0), 0),
      accuracy: NaN,
      confusion: [],
      estimatedConfusion: Array.from({ length: NUM_EMOTIONS }, (_, j) =>
        Array.from(matrix.subarray(j * NUM_EMOTIONS, (j + 1) * NUM_EMOTIONS)),
      ),
    });
  }
  const ranks = await strategyRanksRound(db);
  return {
    agreement: [figures("every opinion (FER-2013 label, FER+ votes, people)", all), figures("people only", peopleOnly)],
    methodDisagreements,
    consensusFaces: ds.filter((c) => c.label !== null).length,
    annotators,
    dawidSkenePriors: model ? Array.from(model.model.priors) : null,
    latestRound: await latestCompleteRound(db),
    queueRankedFrom: ranks?.roundId ?? null,
  };
}

async function personNames(db: Database): Promise<Map<string, string>> {
  const rows = await queryRows<{ id: string; name: string | null; email: string }>(db, sql`select id::text, name, email from users`);
  return new Map(rows.map((r) => [r.id, r.name ?? r.email]));
}
