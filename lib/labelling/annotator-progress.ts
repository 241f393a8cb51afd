import { sql } from "drizzle-orm";
import { annotatorAccuracy } from "../curation/agreement/annotator-accuracy";
import { getConsensusLabels } from "../curation/consensus";
import type { Database } from "../db/client";
import { queryRows } from "../db/query-rows";
import { type LabelStrategy, WALKED_STRATEGIES } from "./label-strategies";
import { ensureMislabelScores } from "./mislabel-scores";

/** One annotator's own numbers, for their dashboard on `/`. */
export interface AnnotatorProgress {
  /** Labels since `dayStart` (midnight UTC). */
  labelsToday: number;
  labelsTotal: number;
  dayStart: Date;
  /** Median time on screen per saved label, over the labels that carry one; null before the first. */
  medianSecondsPerDecision: number | null;
  /**
   * Items each strategy the labelling page offers still has for this annotator by its own ranking (before falling
   * back to "unreviewed").
   */
  queueLeft: { strategy: LabelStrategy; left: number }[];
  /**
   * Their emotion labels against the stored majority consensus (lib/curation/consensus: every FER+ vote, person and
   * original label once; their own label included), counted as lib/curation/agreement's per-person accuracy on the
   * faces where the consensus rests on more than their label and the original (FER+ votes or other people's
   * labels). Null when there is no such face yet.
   */
  agreement: { compared: number; agreed: number } | null;
}

/** Midnight UTC of `now`'s day. */
export function utcDayStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

export async function getAnnotatorProgress(
  db: Database,
  input: { annotatorId: string; overlap: number; now?: Date },
): Promise<AnnotatorProgress> {
  const me = input.annotatorId;
  const dayStart = utcDayStart(input.now ?? new Date());
  const mislabelScope = await ensureMislabelScores(db);
  const [counts, left, evidence] = await Promise.all([
    queryRows<{ today: number; total: number; median_ms: number | null }>(
      db,
      sql`select count(*) filter (where created_at >= ${dayStart.toISOString()}::timestamptz)::int as today,
                 count(*)::int as total,
                 percentile_cont(0.5) within group (order by duration_ms)
                   filter (where duration_ms is not null)::float8 as median_ms
          from annotations where annotator_id = ${me}::uuid`,
    ),
    // What the queue's eligibility rule (queue-candidates.ts) leaves for this annotator: active, not labelled by
    // enough people, not labelled or skipped by them, not held by someone else (their own holds count as theirs).
    queryRows<{ available: number; uncertain: number; mislabel: number }>(
      db,
      sql`select count(*)::int as available,
                 count(*) filter (where exists (
                   select 1 from predictions p
                   where p.image_id = i.id and p.model_version_id = (select id from model_versions where serving)
                 ))::int as uncertain,
                 count(*) filter (where exists (
                   select 1 from mislabel_scores m where m.scope = ${mislabelScope} and m.image_id = i.id
                 ))::int as mislabel
          from images i
          where i.status = 'active' and i.people_label_count < ${input.overlap}
            and not exists (select 1 from label_leases l
                            where l.image_id = i.id and l.expires_at > now() and l.annotator_id <> ${me}::uuid)
            and not exists (select 1 from annotations a where a.annotator_id = ${me}::uuid and a.image_id = i.id)
            and not exists (select 1 from label_skips s
                            where s.annotator_id = ${me}::uuid and s.image_id = i.id and s.expires_at > now())`,
    ),
    // Their labels on faces where someone besides them and the dataset has a say.
    queryRows<{ image_id: number; label: number }>(
      db,
      sql`select a.image_id, a.label from annotations a
          where a.annotator_id = ${me}::uuid and (
            exists (select 1 from annotations o
                    where o.image_id = a.image_id and o.annotator_id is not null and o.annotator_id <> ${me}::uuid)
            or exists (select 1 from vote_counts v where v.image_id = a.image_id and v.source = 'ferplus'))`,
    ),
  ]);
  const { available, uncertain, mislabel } = left[0];
  const ranked: Partial<Record<LabelStrategy, number>> = { uncertain, mislabel };
  return {
    labelsToday: counts[0].today,
    labelsTotal: counts[0].total,
    dayStart,
    medianSecondsPerDecision: counts[0].median_ms === null ? null : Number(counts[0].median_ms) / 1000,
    queueLeft: WALKED_STRATEGIES.map((strategy) => ({ strategy, left: ranked[strategy] ?? available })),
    agreement: await agreementWithConsensus(db, me, evidence),
  };
}

async function agreementWithConsensus(
  db: Database,
  annotatorId: string,
  labels: { image_id: number; label: number }[],
): Promise<AnnotatorProgress["agreement"]> {
  if (labels.length === 0) return null;
  const consensus = await getConsensusLabels(db, "majority", { imageIds: labels.map((l) => Number(l.image_id)) });
  const [mine] = annotatorAccuracy(
    labels.map((l) => ({ annotatorId, imageId: Number(l.image_id), label: Number(l.label) })),
    new Map(consensus.map((c) => [c.imageId, c.label])),
  );
  return mine ? { compared: mine.labels, agreed: Math.round(mine.accuracy * mine.labels) } : null;
}
