import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { queryRows } from "../../db/query-rows";
import { latestCompleteRound } from "../scoring-rounds/scoring-round-store";
import { SAMPLING_STRATEGIES, mixRankings, type RankedFace } from "../strategies";
import { getCurationSettings } from "./curation-settings";
import { loadFaceEvidence } from "./load-face-evidence";

/** How deep each ranking is stored: the queue falls back to "unreviewed" beyond it. */
export const RANK_DEPTH = 5000;
const BATCH = 8192;
const RANKS_LOCK = 7_402_116;

/**
 * Recomputes every ranked strategy's order (lib/curation/strategies) over the active faces from the latest complete
 * scoring round and the labels, plus the project's "mix", and replaces strategy_ranks in one transaction. The
 * trainer runs it after each scoring round; labels arriving later change eligibility, which the queue checks live.
 * Returns the number of rows stored.
 */
export async function rebuildStrategyRanks(db: Database): Promise<number> {
  const round = await latestCompleteRound(db);
  const faces = await loadFaceEvidence(db, round?.id ?? null, { embedding: true });
  const settings = await getCurationSettings(db);
  const rankings = new Map<string, RankedFace[]>();
  for (const strategy of SAMPLING_STRATEGIES) rankings.set(strategy.name, strategy.rank(faces, { seed: round?.id ?? 1 }));
  const mixParts = Object.entries(settings.mix)
    .filter(([name]) => rankings.has(name))
    .map(([name, weight]) => ({ ranking: rankings.get(name)!, weight }));
  rankings.set("mix", mixRankings(mixParts));

  const strategy: string[] = [];
  const imageId: number[] = [];
  const rank: number[] = [];
  for (const [name, ranked] of rankings) {
    ranked.slice(0, RANK_DEPTH).forEach((r, i) => {
      strategy.push(name);
      imageId.push(r.imageId);
      rank.push(i);
    });
  }
  return db.transaction(async (tx) => {
    const [{ locked }] = await queryRows<{ locked: boolean }>(tx, sql`select pg_try_advisory_xact_lock(${RANKS_LOCK}) as locked`);
    if (!locked) return 0;
    await tx.execute(sql`delete from strategy_ranks where strategy is not null`);
    for (let start = 0; start < strategy.length; start += BATCH) {
      await tx.execute(sql`
        insert into strategy_ranks (strategy, image_id, rank, round_id)
        select t.s, t.id, t.r, ${round?.id ?? null}::int
        from unnest(${sql.param(strategy.slice(start, start + BATCH))}::text[], ${sql.param(imageId.slice(start, start + BATCH))}::int[],
                    ${sql.param(rank.slice(start, start + BATCH))}::int[]) as t(s, id, r)`);
    }
    return strategy.length;
  });
}

/** Which round the queue's rankings come from (null: none yet, or built before any round completed). */
export async function strategyRanksRound(db: Database): Promise<{ roundId: number | null; builtFrom: number } | null> {
  const [row] = await queryRows<{ round_id: number | null; n: number }>(
    db,
    sql`select max(round_id) as round_id, count(*)::int as n from strategy_ranks`,
  );
  return row && row.n > 0 ? { roundId: row.round_id, builtFrom: row.n } : null;
}
