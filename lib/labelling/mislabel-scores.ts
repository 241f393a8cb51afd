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
 * Freshness: each process rebuilds the cache when the serving version changed or its copy is older than
 * REFRESH_MS: synchronously when it has none for the scope yet, in the background otherwise (requests keep reading
 * the previous rows meanwhile; the rebuild replaces them in one transaction).
 */
export const MIN_MODEL_CONFIDENCE = 0.5;
const REFRESH_MS = 5 * 60_000;
const SERVING_CHECK_MS = 10_000;
const REBUILD_LOCK = 7_402_114;

interface CacheState {
  scope: number;
  checkedAt: number;
  builtAt: number;
  building: Promise<void> | null;
}

const states = new WeakMap<Database, CacheState>();

/** Makes sure the scores for the current serving version exist; returns their scope (version id, 0: none). */
export async function ensureMislabelScores(db: Database, now = Date.now()): Promise<number> {
  let state = states.get(db);
  if (!state || now - state.checkedAt > SERVING_CHECK_MS) {
    const scope = await servingScope(db);
    if (!state || state.scope !== scope) state = { scope, checkedAt: now, builtAt: 0, building: null };
    else state.checkedAt = now;
    states.set(db, state);
  }
  const current = state;
  if (now - current.builtAt > REFRESH_MS && !current.building) {
    current.building = rebuildMislabelScores(db, current.scope)
      .then(() => void (current.builtAt = Date.now()))
      .catch((error) =>
        console.error("mislabel scores: rebuild failed:", error instanceof Error ? error.message : error),
      )
      .finally(() => void (current.building = null));
  }
  if (current.builtAt === 0 && current.building) await current.building;
  return current.scope;
}

async function servingScope(db: Database): Promise<number> {
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
