import { type SQL, sql } from "drizzle-orm";
import { isRankedStrategy, type LabelStrategy } from "./label-strategies";

/**
 * The candidate queries of the claim statement (claim-label-items.ts), one per strategy. Each selects `id` (image)
 * and `rank` (smaller first) of up to `limit` images that `eligible` allows, in the strategy's order. Each is an
 * index walk that stops after `limit` hits: no sort of the whole table.
 *
 * How concurrent claimers stay apart: the walk locks each candidate (`for no key update ... skip locked`), so a
 * claimer passes over the rows another claimer is taking right now instead of waiting for it; and only after
 * holding the lock does it ask `label_lease_free` (migration 0002), which looks at label_leases with a fresh
 * snapshot, whether someone committed a lease on that image since this statement began. A row that passes both is
 * free, and stays free while we hold its lock, so the lease insert that follows does not lose races.
 */
export interface CandidateContext {
  annotatorId: string;
  overlap: number;
  /** How many to pick at most: a plain number, so the planner knows it walks an index for a few rows. */
  limit: number;
  /** Mislabel scores' scope (serving version id, 0 for FER+ only); see mislabel-scores.ts. */
  mislabelScope: number;
  /** Whether test faces may be served (then always blind); off by default, so people's labels never touch test. */
  testFaces?: "off" | "blind";
}

export interface CandidateOptions {
  /** SQL of image ids to pass over. */
  exclude?: SQL;
  /** A condition on the statement's CTEs, evaluated once: the query runs only when it holds. */
  when?: SQL;
}

/**
 * Images the annotator may be served (as of this statement's snapshot): active, not done, not held by anyone, not
 * labelled or skipped by them. `offset 0` keeps each `not exists` a per-row index probe (label_leases pk,
 * annotations_annotator_image_idx, label_skips pk) instead of letting the planner turn it into an anti join that
 * reads every lease, or every label of the annotator, on each request: the walks stop after a few rows, so probing
 * is what scales.
 */
function eligible(ctx: CandidateContext): SQL {
  return sql`i.status = 'active' and i.people_label_count < ${ctx.overlap}
    ${ctx.testFaces === "blind" ? sql`` : sql`and i.split <> 'test'`}
    and not exists (select 1 from label_leases l where l.image_id = i.id and l.expires_at > now() offset 0)
    and not exists (select 1 from annotations a where a.annotator_id = ${ctx.annotatorId}::uuid and a.image_id = i.id offset 0)
    and not exists (select 1 from label_skips s
                    where s.annotator_id = ${ctx.annotatorId}::uuid and s.image_id = i.id and s.expires_at > now() offset 0)`;
}

/**
 * Locks the rows of an ordered walk one by one and keeps the first `limit` whose lease is free after locking.
 * (`offset 0` keeps the planner from pushing the check below the lock.)
 */
function lockedWalk(walk: SQL, limit: number): SQL {
  return sql`select c.id, c.rank from (${walk} offset 0 for no key update of i skip locked) c
    where label_lease_free(c.id)
    limit ${limit}`;
}

/** Fewest people labels first, then id: a walk of images_label_queue_idx. */
export function unreviewedCandidates(ctx: CandidateContext, options: CandidateOptions = {}): SQL {
  return lockedWalk(
    sql`select i.id, i.people_label_count::float8 as rank from images i
      where ${gate(options)} ${eligible(ctx)} ${options.exclude ? sql`and i.id not in (${options.exclude})` : sql``}
      order by i.people_label_count, i.id`,
    ctx.limit,
  );
}

/** The serving model's highest-entropy predictions: a backward walk of predictions_entropy_idx. */
function uncertainCandidates(ctx: CandidateContext, options: CandidateOptions): SQL {
  return lockedWalk(
    sql`select i.id, -p.entropy::float8 as rank from predictions p join images i on i.id = p.image_id
      where ${gate(options)} p.model_version_id = (select id from serving) and ${eligible(ctx)}
      order by p.entropy desc, p.image_id`,
    ctx.limit,
  );
}

/** Strongest disagreement first: a walk of mislabel_scores_rank_idx (declared `desc`, which is nulls last). */
function mislabelCandidates(ctx: CandidateContext, options: CandidateOptions): SQL {
  return lockedWalk(
    sql`select i.id, -m.score::float8 as rank from mislabel_scores m join images i on i.id = m.image_id
      where ${gate(options)} m.scope = ${ctx.mislabelScope} and ${eligible(ctx)}
      order by m.score desc nulls last, m.image_id`,
    ctx.limit,
  );
}

/**
 * A random sample without `order by random()` over the table: random start ids between the smallest and largest
 * id, each walked along the primary key to the first eligible image (one short index scan per start). Images after
 * a long run of ineligible ones are a little more likely; two starts that land on the same image count once.
 */
function randomCandidates(ctx: CandidateContext, options: CandidateOptions): SQL {
  return sql`select picked.id, min(picked.n)::float8 as rank from (
      select s.n, c.id from (
        select b.lo + floor(random() * (b.hi - b.lo + 1))::int as start, g.n
        from (select min(id) as lo, max(id) as hi from images) b,
             generate_series(1, ${2 * ctx.limit + 2}) as g(n)
        where ${gate(options)} b.lo is not null
      ) s cross join lateral (
        ${lockedWalk(sql`select i.id, 0::float8 as rank from images i where i.id >= s.start and ${eligible(ctx)} order by i.id`, 1)}
      ) c
    ) picked
    group by picked.id order by rank limit ${ctx.limit}`;
}

/** A ranked strategy's stored order (lib/curation/strategy-ranks): a walk of strategy_ranks_walk_idx. */
function rankedCandidates(strategy: string, ctx: CandidateContext, options: CandidateOptions): SQL {
  return lockedWalk(
    sql`select i.id, r.rank::float8 as rank from strategy_ranks r join images i on i.id = r.image_id
      where ${gate(options)} r.strategy = ${strategy} and ${eligible(ctx)}
      order by r.rank`,
    ctx.limit,
  );
}

export function strategyCandidates(
  strategy: LabelStrategy,
  ctx: CandidateContext,
  options: CandidateOptions = {},
): SQL {
  if (isRankedStrategy(strategy)) return rankedCandidates(strategy, ctx, options);
  switch (strategy) {
    case "unreviewed":
      return unreviewedCandidates(ctx, options);
    case "uncertain":
      return uncertainCandidates(ctx, options);
    case "mislabel":
      return mislabelCandidates(ctx, options);
    case "random":
      return randomCandidates(ctx, options);
  }
}

function gate(options: CandidateOptions): SQL {
  return options.when ? sql`(${options.when}) and` : sql``;
}
