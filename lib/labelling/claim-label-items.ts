import { type SQL, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { queryRows } from "../db/query-rows";
import { NOT_A_FACE, NUM_EMOTIONS } from "../emotions";
import { blindChoiceSql } from "./blind-choice-sql";
import type { LabelStrategy } from "./label-strategies";
import { ensureMislabelScores } from "./mislabel-scores";
import { type CandidateContext, strategyCandidates, unreviewedCandidates } from "./queue-candidates";
import type { QueueSettings } from "./queue-settings";

export interface LabelItemLabels {
  /** The labels the image's sources gave (canonical). */
  original: number[];
  /** FER+ crowd votes per canonical class, if imported. */
  ferPlus: number[] | null;
  /** Other people's labels per canonical class. */
  people: number[];
  /** Other people's "not a face" decisions. */
  notFace: number;
}

export interface LabelItem {
  imageId: number;
  leaseExpiresAt: Date;
  /** Served without the model's suggestion and without what others said (decided by the server when claimed). */
  blind: boolean;
  /** What is known about the image so far; null for a blind item until the annotator has decided. */
  labels: LabelItemLabels | null;
}

export interface ServingModelSummary {
  id: number;
  modelName: string;
  version: string;
}

export interface LabelBatch {
  items: LabelItem[];
  servingModel: ServingModelSummary | null;
  /** Statements it took (more than 1 when concurrent claimers won some items first); for measurements. */
  rounds: number;
}

export interface ClaimRequest {
  annotatorId: string;
  strategy: LabelStrategy;
  count: number;
  settings: QueueSettings;
}

/** A claim can lose races for items (see below); rounds are repeated while it does, at most this many. */
const CLAIM_ROUNDS = 8;

/**
 * Serves an annotator up to `count` items: first the ones they already hold (leases renewed), then new ones in the
 * strategy's order, leased to them for `leaseSeconds` with the blind choice stored on the lease. One SQL statement
 * per round, which also returns the items' labels so far and the serving model.
 *
 * Why it is race-free: a new lease is an upsert on label_leases (one row per image) that only takes over an expired
 * row, so two annotators never hold an image at the same time whatever the candidate queries saw. Candidates are
 * locked with SKIP LOCKED, so concurrent claimers normally pick different images; one that still loses an upsert
 * (its snapshot predates the winner's commit) gets fewer items, and the next round fills the gap.
 */
export async function claimLabelItems(db: Database, request: ClaimRequest): Promise<LabelBatch> {
  const mislabelScope = request.strategy === "mislabel" ? await ensureMislabelScores(db) : 0;
  for (let round = 1; ; round++) {
    const { lost, items, servingModel } = await claimRound(db, request, mislabelScope);
    if (lost === 0 || items.length >= request.count || round === CLAIM_ROUNDS)
      return { items, servingModel, rounds: round };
  }
}

interface ClaimRow {
  image_id: number | null;
  blind: boolean | null;
  expires_at: Date | string | null;
  original: number[] | null;
  people: number[] | null;
  fer_plus: number[] | null;
  serving_id: number | null;
  serving_model_name: string | null;
  serving_version: string | null;
  lost: number;
}

async function claimRound(
  db: Database,
  request: ClaimRequest,
  mislabelScope: number,
): Promise<Omit<LabelBatch, "rounds"> & { lost: number }> {
  const rows = await queryRows<ClaimRow>(db, claimStatement(request, mislabelScope));
  const first = rows[0];
  const servingModel =
    first?.serving_id != null
      ? { id: first.serving_id, modelName: first.serving_model_name!, version: first.serving_version! }
      : null;
  const items = rows
    .filter((row) => row.image_id !== null)
    .map((row) => ({
      imageId: row.image_id!,
      leaseExpiresAt: new Date(row.expires_at!),
      blind: row.blind!,
      // Decided by the server at claim: a blind item carries nothing that could sway the choice.
      labels: row.blind ? null : itemLabels(row.original, row.people, row.fer_plus),
    }));
  return { items, servingModel, lost: first?.lost ?? 0 };
}

/** The one statement of a claim round (exported for EXPLAIN in the benchmark). */
export function claimStatement({ annotatorId, strategy, count, settings }: ClaimRequest, mislabelScope: number): SQL {
  const me = annotatorId;
  const lease = sql`now() + make_interval(secs => ${settings.leaseSeconds})`;
  const ctx = (): CandidateContext => ({
    annotatorId: me,
    overlap: settings.overlap,
    limit: count,
    mislabelScope,
    testFaces: settings.testFaces,
  });
  // Test faces (served only when LABEL_TEST_FACES=blind) are always blind: no suggestion, no other labels.
  const blind = sql`(${blindChoiceSql(me, sql`p.id`, settings.blindShare)} or exists (select 1 from images t where t.id = p.id and t.split = 'test'))`;
  // Candidate queries get the request's count as a plain limit, so the planner knows it walks an index for a few
  // rows; `picked` then keeps the `k` still wanted. The fallback runs only when the strategy's own pick is short.
  const fallback =
    strategy === "unreviewed"
      ? sql`select null::int as id, null::float8 as rank where false`
      : unreviewedCandidates(ctx(), {
          exclude: sql`select id from primary_pick`,
          when: sql`(select count(*) from primary_pick) < (select k from wanted)`,
        });

  return sql`
    with serving as (
      select id, model_name, version from model_versions where serving
    ),
    held as (
      select l.image_id, l.expires_at as held_until from label_leases l
      where l.annotator_id = ${me}::uuid and l.expires_at > now()
      order by l.expires_at, l.image_id
      limit ${count}
    ),
    renewed as (
      update label_leases l set expires_at = ${lease}
      from held h where l.image_id = h.image_id and l.annotator_id = ${me}::uuid
      returning l.image_id, l.blind, l.expires_at, 0 as tier, extract(epoch from h.held_until)::float8 as rank
    ),
    wanted as (
      select greatest(${count} - (select count(*) from renewed), 0) as k
    ),
    primary_pick as (${strategyCandidates(strategy, ctx(), { when: sql`(select k from wanted) > 0` })}),
    fallback_pick as (${fallback}),
    picked as (
      select id, tier, rank from (
        select id, 1 as tier, rank from primary_pick
        union all
        select id, 2 as tier, rank from fallback_pick
      ) both_picks
      order by tier, rank, id
      limit (select k from wanted)
    ),
    claimed as (
      insert into label_leases as l (image_id, annotator_id, expires_at, blind)
      select p.id, ${me}::uuid, ${lease}, ${blind} from picked p
      on conflict (image_id) do update
        set annotator_id = excluded.annotator_id, expires_at = excluded.expires_at, blind = excluded.blind
        where l.expires_at <= now()
      returning l.image_id, l.blind, l.expires_at
    ),
    served as (
      select image_id, blind, expires_at, tier, rank from renewed
      union all
      select c.image_id, c.blind, c.expires_at, p.tier, p.rank from claimed c join picked p on p.id = c.image_id
    )
    select s.image_id, s.blind, s.expires_at, a.original, a.people, v.counts as fer_plus,
      m.id as serving_id, m.model_name as serving_model_name, m.version as serving_version,
      ((select count(*) from picked) - (select count(*) from claimed))::int as lost
    from (select 1) as one
    left join serving m on true
    left join served s on true
    left join lateral (
      select array_agg(x.label order by x.id) filter (where x.annotator_id is null) as original,
             array_agg(x.label) filter (where x.annotator_id <> ${me}::uuid) as people
      from annotations x where x.image_id = s.image_id
    ) a on s.image_id is not null
    left join lateral (
      select v.counts from image_votes v where v.image_id = s.image_id and v.source = 'ferplus'
    ) v on s.image_id is not null
    order by s.tier, s.rank, s.image_id`;
}

function itemLabels(original: number[] | null, people: number[] | null, ferPlus: number[] | null): LabelItemLabels {
  const counts = new Array<number>(NUM_EMOTIONS).fill(0);
  let notFace = 0;
  for (const label of people ?? []) {
    if (label === NOT_A_FACE) notFace++;
    else counts[label]++;
  }
  return {
    original: (original ?? []).map(Number),
    ferPlus: ferPlus ? ferPlus.map(Number) : null,
    people: counts,
    notFace,
  };
}
