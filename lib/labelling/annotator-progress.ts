import { sql } from "drizzle-orm";
import { resolveLabel } from "../curation/label-policy";
import type { Database } from "../db/client";
import { queryRows } from "../db/query-rows";
import { NOT_A_FACE } from "../emotions";
import { LABEL_STRATEGIES, type LabelStrategy } from "./label-strategies";
import { ensureMislabelScores } from "./mislabel-scores";

/** One annotator's own numbers, for their dashboard on `/`. */
export interface AnnotatorProgress {
  /** Labels since `dayStart` (midnight UTC). */
  labelsToday: number;
  labelsTotal: number;
  dayStart: Date;
  /** Median time on screen per saved label, over the labels that carry one; null before the first. */
  medianSecondsPerDecision: number | null;
  /** Items each strategy still has for this annotator by its own ranking (before falling back to "unreviewed"). */
  queueLeft: { strategy: LabelStrategy; left: number }[];
  /**
   * Their labels against the consensus of everyone else (FER+ crowd votes, other annotators and the original
   * label, under lib/curation/label-policy.ts's "consensus" policy), counted on the images where such evidence
   * beyond the original label exists. Null when there is no such image yet.
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
    queryRows<{ mine: number; original: number[] | null; others: number[] | null; fer_plus: number[] | null }>(
      db,
      sql`select a.label as mine,
                 (select array_agg(o.label order by o.id) from annotations o
                  where o.image_id = a.image_id and o.annotator_id is null) as original,
                 (select array_agg(o.label) from annotations o
                  where o.image_id = a.image_id and o.annotator_id is not null and o.annotator_id <> ${me}::uuid) as others,
                 (select v.counts from vote_counts v where v.image_id = a.image_id and v.source = 'ferplus' limit 1) as fer_plus
          from annotations a where a.annotator_id = ${me}::uuid`,
    ),
  ]);
  const { available, uncertain, mislabel } = left[0];
  const ranked: Partial<Record<LabelStrategy, number>> = { uncertain, mislabel };
  return {
    labelsToday: counts[0].today,
    labelsTotal: counts[0].total,
    dayStart,
    medianSecondsPerDecision: counts[0].median_ms === null ? null : Number(counts[0].median_ms) / 1000,
    queueLeft: LABEL_STRATEGIES.map((strategy) => ({ strategy, left: ranked[strategy] ?? available })),
    agreement: agreementWithConsensus(evidence),
  };
}

function agreementWithConsensus(
  rows: { mine: number; original: number[] | null; others: number[] | null; fer_plus: number[] | null }[],
): AnnotatorProgress["agreement"] {
  let compared = 0;
  let agreed = 0;
  for (const row of rows) {
    const others = (row.others ?? []).map(Number);
    const votes = row.fer_plus ? row.fer_plus.map(Number) : null;
    // The original label alone is no consensus: it is what people are asked to check.
    if (others.length === 0 && !votes) continue;
    const consensus = resolveLabel({ original: (row.original ?? []).map(Number), people: others, votes }, "consensus");
    compared++;
    // No consensus label under the policy means the others judged it not a face.
    const theirs = consensus === null ? NOT_A_FACE : consensus.label;
    if (Number(row.mine) === theirs) agreed++;
  }
  return compared === 0 ? null : { compared, agreed };
}
