import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trainingRuns } from "../../db/schema";
import { foldOf } from "../../lib/curation/scoring-rounds/scoring-round-config";
import { runScoringRound } from "../../lib/curation/scoring-rounds/run-scoring-round";
import { latestCompleteRound } from "../../lib/curation/scoring-rounds/scoring-round-store";
import { rebuildStrategyRanks } from "../../lib/curation/strategy-ranks/rebuild-strategy-ranks";
import { queryRows } from "../../lib/db/query-rows";
import { seedDemoDataset } from "../../lib/demo/seed-demo-dataset";
import { claimLabelItems } from "../../lib/labelling/claim-label-items";
import { insertAnnotators } from "../../lib/labelling/testing/queue-fixtures";
import { enqueueRun } from "../../lib/runs/run-queue";
import type { ObjectStore } from "../../lib/storage/object-store";
import { selectBackend } from "../../lib/tf/select-backend";
import { runWorkerLoop } from "../../trainer/worker-loop";
import { createTestDatabase } from "../support/test-database";
import { createTestStore } from "../support/test-s3";

/** A scoring round on the synthetic demo faces: out-of-sample scores, resumable, ranked into the queue. */
const QUICK = { job: "scoring-round", folds: 2, epochs: 1, maxTrainImages: 120, seed: 3 };

describe("scoring rounds", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: ObjectStore;

  beforeAll(async () => {
    await selectBackend({ prefer: "wasm" });
    [database, store] = await Promise.all([createTestDatabase(), createTestStore()]);
    await seedDemoDataset(database.db, store);
  });
  afterAll(async () => database?.drop());

  it("is queued and claimed by the trainer service like a run, scores each train face by the fold that held it out, the rest by every fold", async () => {
    const id = await enqueueRun(database.db, { modelName: "compact", config: QUICK });
    const stop = new AbortController();
    const lines: string[] = [];
    await runWorkerLoop({
      db: database.db,
      store,
      staleAfterMs: 60_000,
      maxAttempts: 3,
      pollMs: 200,
      heartbeatMs: 1000,
      schedule: null,
      signal: stop.signal,
      log: (m) => {
        lines.push(m);
        if (m.startsWith(`run ${id}: `) && /succeeded|failed|cancelled/.test(m)) stop.abort();
      },
    });
    expect(lines).toContain(`run ${id}: succeeded`);
    const [row] = await database.db.select().from(trainingRuns).where(eq(trainingRuns.id, id));
    expect(row.status).toBe("succeeded");
    expect((row.progress as { message?: string }).message).toMatch(/scoring round \d+ complete/);

    const round = await latestCompleteRound(database.db);
    expect(round).toMatchObject({ runId: id, folds: 2, status: "complete" });
    expect(round!.foldsDone.map((f) => f.fold).sort()).toEqual([0, 1]);
    const scores = await queryRows<{ image_id: number; split: string; fold: number; models: number; probs: number[] | null; has_embedding: boolean; margin: number | null }>(
      database.db,
      sql`select r.image_id, i.split, r.fold, r.models, r.probs, r.embedding is not null as has_embedding, r.margin
          from round_scores r join images i on i.id = r.image_id where r.round_id = ${round!.id} order by r.image_id`,
    );
    const train = scores.filter((s) => s.split === "train" && s.probs !== null);
    expect(train).toHaveLength(120);
    for (const s of train) {
      expect(s.fold).toBe(foldOf(s.image_id, 2, 3));
      expect(s.models).toBe(1);
      expect(s.probs!.reduce((a, b) => a + Number(b), 0)).toBeCloseTo(1, 3);
    }
    const others = scores.filter((s) => s.split !== "train");
    expect(others.length).toBe(140); // the demo's val and test faces
    for (const s of others) expect(s).toMatchObject({ fold: -1, models: 2 });
    // Fold 0's model embeds every face, train faces outside the 120 too (probabilities absent there).
    expect(scores.every((s) => s.has_embedding)).toBe(true);
    expect(scores.filter((s) => s.probs !== null).every((s) => s.margin !== null)).toBe(true);
  });

  it("resumes a round at the first fold it has not finished", async () => {
    const id = await enqueueRun(database.db, { modelName: "compact", config: QUICK });
    const abort = new AbortController();
    const config = { ...QUICK, job: "scoring-round" as const, timeBudgetMinutes: undefined, modelName: "compact", embed: true };
    // Cancelled right after fold 0 finished.
    const first = await runScoringRound(database.db, store, { runId: id, config }, {
      signal: abort.signal,
      onProgress: (p) => p.fold === 1 && abort.abort(),
    });
    expect(first.status).toBe("cancelled");
    expect(first.folds.map((f) => f.fold)).toEqual([0]);
    const trained: number[] = [];
    const second = await runScoringRound(database.db, store, { runId: id, config }, {
      onProgress: (p) => p.phase === "training" && p.fold !== undefined && !trained.includes(p.fold) && trained.push(p.fold),
    });
    expect(second).toMatchObject({ roundId: first.roundId, status: "complete" });
    expect(trained).toEqual([1]);
    // Faces outside train averaged over exactly the two folds, not three.
    const [{ max }] = await queryRows<{ max: number }>(
      database.db,
      sql`select max(models)::int as max from round_scores where round_id = ${first.roundId} and fold = -1`,
    );
    expect(max).toBe(2);
  });

  it("ranks the queue's strategies from the latest complete round and serves them in order", async () => {
    const round = await latestCompleteRound(database.db);
    const stored = await rebuildStrategyRanks(database.db);
    expect(stored).toBeGreaterThan(0);
    const ranks = await queryRows<{ strategy: string; image_id: number; rank: number; round_id: number }>(
      database.db,
      // Test faces are ranked too but not served (LABEL_TEST_FACES is off by default): the queue skips them.
      sql`select r.strategy, r.image_id, r.rank, r.round_id from strategy_ranks r join images i on i.id = r.image_id
          where r.strategy = 'smallest-margin' and i.split <> 'test' order by r.rank limit 5`,
    );
    expect(ranks.every((r) => r.round_id === round!.id)).toBe(true);
    const [annotator] = await insertAnnotators(database.db, 1);
    const batch = await claimLabelItems(database.db, {
      annotatorId: annotator,
      strategy: "smallest-margin",
      count: 5,
      settings: { overlap: 3, leaseSeconds: 300, blindShare: 0 },
    });
    expect(batch.items.map((i) => i.imageId)).toEqual(ranks.map((r) => r.image_id));
    const mix = await claimLabelItems(database.db, {
      annotatorId: annotator,
      strategy: "mix",
      count: 4,
      settings: { overlap: 3, leaseSeconds: 300, blindShare: 0 },
    });
    expect(mix.items).toHaveLength(4);
  });
});
