import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { queryRows } from "../../db/query-rows";
import { STORED_DAWID_SKENE } from "./consensus-settings";
import { type FaceDawidSkeneModel, faceDawidSkene } from "./face-dawid-skene";
import type { FaceConsensus } from "./face-opinions";
import { loadFaceOpinions } from "./load-face-opinions";
import { majorityVote } from "./majority-vote";
import { softDistribution } from "./soft-distribution";
import { writeConsensus } from "./write-consensus";

const CONSENSUS_LOCK = 7_402_115;

export interface RecomputeSummary {
  faces: number;
  dawidSkeneIterations: number;
  seconds: { load: number; compute: number; write: number; total: number };
}

/**
 * Recomputes every face's consensus under every method (majority, soft, and Dawid-Skene fitted afresh) and stores
 * it with the fitted Dawid-Skene model, in one transaction: readers see the old set or the new one. Clears the
 * dirty marks made before it loaded. Another process recomputing at the same moment makes this one wait.
 */
export async function recomputeConsensus(db: Database): Promise<RecomputeSummary> {
  const started = performance.now();
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${CONSENSUS_LOCK})`);
    const [{ at }] = await queryRows<{ at: string }>(tx, sql`select clock_timestamp()::text as at`);
    const faces = await loadFaceOpinions(tx as unknown as Database);
    const loaded = performance.now();
    const ds = faceDawidSkene(faces, STORED_DAWID_SKENE);
    const rows: FaceConsensus[] = [];
    for (const face of faces) rows.push(majorityVote(face), softDistribution(face));
    rows.push(...ds.consensus);
    const computed = performance.now();
    await tx.execute(sql`delete from consensus_labels where method in ('majority', 'soft', 'dawid-skene')`);
    await writeConsensus(tx, rows);
    await saveModel(tx, ds.model, faces.length, (computed - loaded) / 1000);
    await tx.execute(sql`delete from consensus_dirty where marked_at <= ${at}::timestamptz`);
    const done = performance.now();
    return {
      faces: faces.length,
      dawidSkeneIterations: ds.iterations,
      seconds: {
        load: (loaded - started) / 1000,
        compute: (computed - loaded) / 1000,
        write: (done - computed) / 1000,
        total: (done - started) / 1000,
      },
    };
  });
}

async function saveModel(tx: Pick<Database, "execute">, model: FaceDawidSkeneModel, faces: number, seconds: number) {
  const json = JSON.stringify({
    annotators: model.annotators,
    priors: Array.from(model.model.priors),
    confusion: model.model.confusion.map((m) => Array.from(m)),
  });
  await tx.execute(sql`
    insert into consensus_models (method, model, faces, seconds, fitted_at)
    values ('dawid-skene', ${json}::jsonb, ${faces}, ${seconds}, now())
    on conflict (method) do update set model = excluded.model, faces = excluded.faces, seconds = excluded.seconds,
      fitted_at = excluded.fitted_at`);
}

/** The stored Dawid-Skene model, or null before the first recompute. */
export async function loadDawidSkeneModel(db: Pick<Database, "execute">): Promise<FaceDawidSkeneModel | null> {
  const [row] = await queryRows<{ model: { annotators: string[]; priors: number[]; confusion: number[][] } }>(
    db,
    sql`select model from consensus_models where method = 'dawid-skene'`,
  );
  if (!row) return null;
  const m = row.model;
  return {
    annotators: m.annotators,
    model: {
      classes: m.priors.length,
      priors: Float64Array.from(m.priors),
      confusion: m.confusion.map((c) => Float64Array.from(c)),
    },
  };
}
