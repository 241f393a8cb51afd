import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { queryRows } from "../db/query-rows";

/**
 * The "mislabel" queue's ranking, cached in mislabel_scores because it needs every image's predictions, original
 * label and votes: computing it per request would sort the whole table. An image is suspect when
 * - the serving model predicts another class than the original label with probability >= MIN_MODEL_CONFIDENCE
 *   (strength: p(predicted) - p(original)), or
 * - the FER+ crowd's most voted class is not the original label (strength: (votes for it - votes for the original)
 *   / all votes).
 * Its score is the stronger of the two, 0..1. "Original" is the most common label the image's sources gave; people's
 * labels do not change it (an item people have labelled enough leaves the queue anyway).
 *
 * Freshness: requests only read the cache. The long-running process (the trainer, or the `npm start` host) rebuilds
 * it when the serving version changed or its copy is older than REFRESH_MS (see mislabel-refresher.ts): no request
 * does work after its response, so serverless hosts may freeze or drop an instance at any time. Until the first
 * rebuild for a new version, the queue serves the unreviewed rest.
 */
export const MIN_MODEL_CONFIDENCE = 0.5;
const REBUILD_LOCK = 7_402_114;

export const REFRESH_MS = 5 * 60_000;

/** The scope the queue reads: the serving version's id (0: none). Never rebuilds (see above). */
export async function ensureMislabelScores(db: Database): Promise<number> {
  return servingScope(db);
}

export async function servingScope(db: Database): Promise<number> {
  const [row] = await queryRows<{ id: number }>(db, sql`select id from model_versions where serving`);
  return row?.id ?? 0;
}

/**
 * Recomputes the scores of one scope and drops every other scope's (stale) rows, in one transaction. Another
 * process rebuilding at the same moment makes this one a no-op.
 */
export async function rebuildMislabelScores(db: Database, scope: number): Promise<number> {
  return db.transaction(async (tx) => {
    const [{ locked }] = await queryRows<{ locked: boolean }>(
      tx,
      sql`select pg_try_advisory_xact_lock(${REBUILD_LOCK}) as locked`,
    );
    if (!locked) return 0;
    // Every scope: other scopes' rows belong to versions that no longer serve.
    await tx.execute(sql`delete from mislabel_scores where scope >= 0`);
    const [{ scored }] = await queryRows<{ scored: number }>(
      tx,
      sql`
      with original as (
        select image_id, mode() within group (order by label) as label
        from annotations where annotator_id is null and label >= 0
        group by image_id
      ),
      by_model as (
        select p.image_id, p.probs[p.predicted_label + 1] - p.probs[o.label + 1] as score
        from predictions p join original o on o.image_id = p.image_id
        where p.model_version_id = ${scope} and p.predicted_label <> o.label
          and p.probs[p.predicted_label + 1] >= ${MIN_MODEL_CONFIDENCE}
      ),
      by_votes as (
        select v.image_id, (top.n - v.counts[o.label + 1])::real / v.total_votes as score
        from image_votes v join original o on o.image_id = v.image_id
        cross join lateral (select max(c) as n from unnest(v.counts) as c) top
        where v.source = 'ferplus' and v.total_votes > 0 and top.n > v.counts[o.label + 1]
      ),
      inserted as (
        insert into mislabel_scores (scope, image_id, score)
        select ${scope}, image_id, max(score) from (select * from by_model union all select * from by_votes) s
        group by image_id
        returning 1
      )
      select count(*)::int as scored from inserted`,
    );
    return scored;
  });
}
