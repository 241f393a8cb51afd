import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "../db/client";
import { queryRows } from "../db/query-rows";
import { NUM_EMOTIONS } from "../emotions";

/**
 * Every published version on one table, measured on the frozen test split. Only versions that took the same test
 * (same images, same answer key: the test set fingerprint) are ranked together; the reference test is the serving
 * version's, or the one most versions took. Others are listed after them, marked, unranked.
 */

const RECALL_SORTS = Array.from({ length: NUM_EMOTIONS }, (_, c) => `recall-${c}` as const);
export const LEADERBOARD_SORTS = [
  "accuracy",
  "accuracyPerRow",
  "macroF1",
  "ece",
  "params",
  "weightBytes",
  "trainingSeconds",
  "backend",
  "published",
  ...RECALL_SORTS,
] as const;
export type LeaderboardSort = (typeof LEADERBOARD_SORTS)[number];

export const ZLeaderboardQuery = z.object({
  sort: z.enum(LEADERBOARD_SORTS).default("accuracy"),
  dir: z.enum(["asc", "desc"]).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(25),
});
export type TLeaderboardQuery = z.infer<typeof ZLeaderboardQuery>;

/** Lower is better for calibration error and size; higher for the rest. */
export function defaultDirection(sort: LeaderboardSort): "asc" | "desc" {
  return sort === "ece" || sort === "params" || sort === "weightBytes" || sort === "trainingSeconds" || sort === "backend"
    ? "asc"
    : "desc";
}

function sortKey(sort: LeaderboardSort): SQL {
  if (sort.startsWith("recall-")) {
    const c = Number(sort.slice("recall-".length));
    return sql`(v.test_metrics->'perClass'->${sql.raw(String(c))}->>'recall')::float8`;
  }
  switch (sort) {
    case "accuracy":
      return sql`(v.test_metrics->>'accuracy')::float8`;
    case "accuracyPerRow":
      return sql`(v.test_metrics->'perRow'->>'accuracy')::float8`;
    case "macroF1":
      return sql`(v.test_metrics->>'macroF1')::float8`;
    case "ece":
      return sql`(v.test_metrics->>'ece')::float8`;
    case "params":
      return sql`v.param_count`;
    case "weightBytes":
      return sql`v.weight_bytes`;
    case "trainingSeconds":
      return sql`(v.details->>'trainingSeconds')::float8`;
    case "backend":
      return sql`v.details->>'backend'`;
    default:
      return sql`v.published_at`;
  }
}

export interface LeaderboardRow {
  id: number;
  modelName: string;
  version: string;
  origin: string;
  serving: boolean;
  publishedAt: Date | null;
  paramCount: number | null;
  weightBytes: number | null;
  backend: string | null;
  trainingSeconds: number | null;
  labelPolicy: string | null;
  trainImages: number | null;
  /** Hash of the (face, label) pairs it trained on (lib/evaluation/data-fingerprint.ts). */
  trainFingerprint: string | null;
  /** The frozen evaluation label set its test figures are measured against ("original v1"). */
  evaluationLabelSet: string | null;
  testSetFingerprint: string | null;
  testCount: number | null;
  /** Accuracy per face: each distinct test image once. */
  accuracy: number | null;
  /** Accuracy per FER-2013 row (duplicates count as often as they occur), where the trainer measured it. */
  accuracyPerRow: number | null;
  macroF1: number | null;
  ece: number | null;
  /** Recall per canonical class. */
  recall: (number | null)[];
  /** Took the reference test: ranked. */
  comparable: boolean;
  /** 1-based rank among comparable versions under the chosen sort; null when not ranked. */
  rank: number | null;
}

export interface Leaderboard {
  rows: LeaderboardRow[];
  total: number;
  page: number;
  pageSize: number;
  sort: LeaderboardSort;
  dir: "asc" | "desc";
  referenceFingerprint: string | null;
}

export async function getLeaderboard(db: Database, query: TLeaderboardQuery): Promise<Leaderboard> {
  const dir = query.dir ?? defaultDirection(query.sort);
  const key = sortKey(query.sort);
  const order = sql.raw(dir === "asc" ? "asc nulls last" : "desc nulls last");
  const [reference] = await queryRows<{ fingerprint: string | null }>(
    db,
    sql`select coalesce(
          (select test_set_fingerprint from model_versions where serving and test_set_fingerprint is not null),
          (select test_set_fingerprint from model_versions where published_at is not null and test_set_fingerprint is not null
           group by test_set_fingerprint order by count(*) desc, max(id) desc limit 1)) as fingerprint`,
  );
  const fingerprint = reference?.fingerprint ?? null;
  const rows = await queryRows<{
    id: number;
    model_name: string;
    version: string;
    origin: string;
    serving: boolean;
    published_at: Date | null;
    param_count: number | null;
    weight_bytes: string | number | null;
    details: Record<string, unknown> | null;
    test_set_fingerprint: string | null;
    test_metrics: {
      count?: number;
      accuracy?: number;
      macroF1?: number;
      ece?: number;
      perClass?: { recall: number }[];
      perRow?: { accuracy?: number } | null;
    } | null;
    comparable: boolean;
    label_policy: string | null;
    train_fingerprint: { count?: number; sha256?: string } | null;
    label_set: string | null;
    rank: string | number | null;
    total: string | number;
  }>(
    db,
    sql`
    with ranked as (
      select v.*, (v.test_set_fingerprint is not null and v.test_set_fingerprint = ${fingerprint}) as comparable,
             ${key} as sort_key
      from model_versions v where v.published_at is not null
    )
    select id, model_name, version, origin, serving, published_at, param_count, weight_bytes, details,
           test_set_fingerprint, test_metrics, comparable, label_policy, train_fingerprint,
           (select s.name || ' v' || s.version from evaluation_label_sets s where s.id = ranked.evaluation_label_set_id) as label_set,
           case when comparable then row_number() over (partition by comparable order by sort_key ${order}, id desc) end as rank,
           count(*) over () as total
    from ranked
    order by comparable desc, sort_key ${order}, id desc
    limit ${query.pageSize} offset ${(query.page - 1) * query.pageSize}`,
  );
  let total = Number(rows[0]?.total ?? 0);
  if (rows.length === 0 && query.page > 1) {
    const [count] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from model_versions where published_at is not null`);
    total = count.n;
  }
  return {
    rows: rows.map((r) => {
      const details = r.details ?? {};
      const num = (v: unknown) => (typeof v === "number" ? v : null);
      return {
        id: r.id,
        modelName: r.model_name,
        version: r.version,
        origin: r.origin,
        serving: r.serving,
        publishedAt: r.published_at ? new Date(r.published_at) : null,
        paramCount: r.param_count,
        weightBytes: r.weight_bytes === null ? null : Number(r.weight_bytes),
        backend: typeof details.backend === "string" ? details.backend : null,
        trainingSeconds: num(details.trainingSeconds),
        labelPolicy: r.label_policy ?? (typeof details.labelPolicy === "string" ? details.labelPolicy : null),
        trainImages: num(r.train_fingerprint?.count) ?? num(details.trainImages),
        trainFingerprint: r.train_fingerprint?.sha256 ?? null,
        evaluationLabelSet: r.label_set,
        testSetFingerprint: r.test_set_fingerprint,
        testCount: num(r.test_metrics?.count),
        accuracy: num(r.test_metrics?.accuracy),
        accuracyPerRow: num(r.test_metrics?.perRow?.accuracy),
        macroF1: num(r.test_metrics?.macroF1),
        ece: num(r.test_metrics?.ece),
        recall: Array.from({ length: NUM_EMOTIONS }, (_, c) => num(r.test_metrics?.perClass?.[c]?.recall)),
        comparable: r.comparable,
        rank: r.rank === null ? null : Number(r.rank),
      };
    }),
    total,
    page: query.page,
    pageSize: query.pageSize,
    sort: query.sort,
    dir,
    referenceFingerprint: fingerprint,
  };
}
