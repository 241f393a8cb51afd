import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { queryRows } from "../../db/query-rows";
import { NUM_EMOTIONS } from "../../emotions";

export interface ScoringRound {
  id: number;
  runId: number | null;
  modelName: string;
  folds: number;
  status: "running" | "complete" | "failed";
  foldsDone: { fold: number; trainFaces: number; heldOut: number; heldOutAccuracy: number; seconds: number }[];
  faces: number | null;
  seconds: number | null;
  createdAt: Date;
  completedAt: Date | null;
}

interface RoundRow {
  id: number;
  run_id: number | null;
  model_name: string;
  folds: number;
  status: ScoringRound["status"];
  folds_done: ScoringRound["foldsDone"];
  faces: number | null;
  seconds: number | null;
  created_at: string | Date;
  completed_at: string | Date | null;
}

const toRound = (r: RoundRow): ScoringRound => ({
  id: r.id,
  runId: r.run_id,
  modelName: r.model_name,
  folds: r.folds,
  status: r.status,
  foldsDone: r.folds_done ?? [],
  faces: r.faces,
  seconds: r.seconds === null ? null : Number(r.seconds),
  createdAt: new Date(r.created_at),
  completedAt: r.completed_at ? new Date(r.completed_at) : null,
});

/** The run's round (a resumed run finds the one it started), or a new one. */
export async function openScoringRound(
  db: Database,
  run: { runId: number; modelName: string; folds: number },
): Promise<ScoringRound> {
  const [existing] = await queryRows<RoundRow>(db, sql`select * from scoring_rounds where run_id = ${run.runId} order by id desc limit 1`);
  if (existing && existing.status === "running") return toRound(existing);
  const [created] = await queryRows<RoundRow>(
    db,
    sql`insert into scoring_rounds (run_id, model_name, folds) values (${run.runId}, ${run.modelName}, ${run.folds}) returning *`,
  );
  return toRound(created);
}

export async function markFoldDone(db: Database, roundId: number, done: ScoringRound["foldsDone"][number]): Promise<void> {
  await db.execute(sql`update scoring_rounds set folds_done = folds_done || ${JSON.stringify([done])}::jsonb where id = ${roundId}`);
}

export async function finishScoringRound(
  db: Database,
  roundId: number,
  outcome: { status: "complete" | "failed"; seconds?: number },
): Promise<void> {
  await db.execute(sql`
    update scoring_rounds set status = ${outcome.status}, seconds = ${outcome.seconds ?? null},
      faces = (select count(*) from round_scores where round_id = ${roundId} and probs is not null),
      completed_at = case when ${outcome.status} = 'complete' then now() else null end
    where id = ${roundId}`);
}

/** The latest complete round: the one the queue and the strategies read. */
export async function latestCompleteRound(db: Database): Promise<ScoringRound | null> {
  const [row] = await queryRows<RoundRow>(
    db,
    sql`select * from scoring_rounds where status = 'complete' order by completed_at desc, id desc limit 1`,
  );
  return row ? toRound(row) : null;
}

export async function listScoringRounds(db: Database, limit = 20): Promise<ScoringRound[]> {
  const rows = await queryRows<RoundRow>(db, sql`select * from scoring_rounds order by id desc limit ${limit}`);
  return rows.map(toRound);
}

const BATCH = 4096;
const csv = (values: ArrayLike<number>, start: number, width: number) =>
  Array.from({ length: width }, (_, k) => Number(values[start + k].toFixed(5))).join(",");

/** Held-out train faces' scores: the fold that held them out, one model. */
export async function writeHeldOutScores(
  db: Database,
  roundId: number,
  fold: number,
  imageIds: readonly number[],
  probs: Float32Array,
): Promise<void> {
  for (let start = 0; start < imageIds.length; start += BATCH) {
    const ids = imageIds.slice(start, start + BATCH);
    const rows = ids.map((_, i) => csv(probs, (start + i) * NUM_EMOTIONS, NUM_EMOTIONS));
    await db.execute(sql`
      insert into round_scores (round_id, image_id, fold, models, probs)
      select ${roundId}, t.id, ${fold}, 1, string_to_array(t.probs, ',')::real[]
      from unnest(${sql.param([...ids])}::int[], ${sql.param(rows)}::text[]) as t(id, probs)
      on conflict (round_id, image_id) do update set fold = excluded.fold, models = 1, probs = excluded.probs`);
    await fillDerived(db, roundId, ids);
  }
}

/**
 * Faces outside train: this fold's model's probabilities folded into the running average over fold models. A fold
 * that is scored twice (a resume) would count twice, so callers pass only folds not yet recorded as done.
 */
export async function addAveragedScores(
  db: Database,
  roundId: number,
  imageIds: readonly number[],
  probs: Float32Array,
): Promise<void> {
  for (let start = 0; start < imageIds.length; start += BATCH) {
    const ids = imageIds.slice(start, start + BATCH);
    const rows = ids.map((_, i) => csv(probs, (start + i) * NUM_EMOTIONS, NUM_EMOTIONS));
    await db.execute(sql`
      insert into round_scores as r (round_id, image_id, fold, models, probs)
      select ${roundId}, t.id, -1, 1, string_to_array(t.probs, ',')::real[]
      from unnest(${sql.param([...ids])}::int[], ${sql.param(rows)}::text[]) as t(id, probs)
      on conflict (round_id, image_id) do update set fold = -1, models = r.models + 1,
        probs = case when r.probs is null or r.models = 0 then excluded.probs else
          array(select (a * r.models + b) / (r.models + 1) from unnest(r.probs, excluded.probs) as x(a, b)) end`);
    await fillDerived(db, roundId, ids);
  }
}

/** Embeddings (fold 0's model, for every face), without touching probabilities. */
export async function writeEmbeddings(
  db: Database,
  roundId: number,
  imageIds: readonly number[],
  embedding: Float32Array,
  size: number,
): Promise<void> {
  for (let start = 0; start < imageIds.length; start += BATCH) {
    const ids = imageIds.slice(start, start + BATCH);
    const rows = ids.map((_, i) => csv(embedding, (start + i) * size, size));
    await db.execute(sql`
      insert into round_scores (round_id, image_id, fold, models, embedding)
      select ${roundId}, t.id, -1, 0, string_to_array(t.e, ',')::real[]
      from unnest(${sql.param([...ids])}::int[], ${sql.param(rows)}::text[]) as t(id, e)
      on conflict (round_id, image_id) do update set embedding = excluded.embedding`);
  }
}

/** Predicted label, margin and entropy from the stored probabilities (in SQL, so averaged rows stay consistent). */
async function fillDerived(db: Database, roundId: number, ids: readonly number[]): Promise<void> {
  await db.execute(sql`
    update round_scores r set predicted_label = d.top - 1, margin = d.p1 - d.p2, entropy = d.h
    from (
      select s.image_id,
        (select k from unnest(s.probs) with ordinality as u(p, k) order by p desc, k limit 1) as top,
        (select p from unnest(s.probs) as u(p) order by p desc limit 1) as p1,
        (select p from unnest(s.probs) as u(p) order by p desc offset 1 limit 1) as p2,
        (select coalesce(-sum(p * ln(p)) filter (where p > 0), 0) from unnest(s.probs) as u(p)) as h
      from round_scores s where s.round_id = ${roundId} and s.image_id = any(${sql.param([...ids])}::int[]) and s.probs is not null
    ) d
    where r.round_id = ${roundId} and r.image_id = d.image_id`);
}

export interface RoundScoreRow {
  imageId: number;
  fold: number;
  probs: number[];
  embedding: number[] | null;
}

/** A round's scored faces (probabilities present), with embeddings when asked. */
export async function loadRoundScores(
  db: Database,
  roundId: number,
  options: { embedding?: boolean; split?: "train" | "val" | "test" } = {},
): Promise<RoundScoreRow[]> {
  const rows = await queryRows<{ image_id: number; fold: number; probs: number[]; embedding: number[] | null }>(
    db,
    sql`select r.image_id, r.fold, r.probs, ${options.embedding ? sql`r.embedding` : sql`null::real[]`} as embedding
        from round_scores r join images i on i.id = r.image_id
        where r.round_id = ${roundId} and r.probs is not null and i.status = 'active'
          ${options.split ? sql`and i.split = ${options.split}` : sql``}
        order by r.image_id`,
  );
  return rows.map((r) => ({
    imageId: r.image_id,
    fold: r.fold,
    probs: r.probs.map(Number),
    embedding: r.embedding ? r.embedding.map(Number) : null,
  }));
}
