/**
 * `npm run bench:curation [-- --data ../shared/fer2013 --minutes 20 --folds 5]`: imports FER-2013 (Training +
 * PublicTest) and the FER+ votes into a throwaway Postgres + S3, then prints
 * 1. precision at 100/200/500 of the model-only suspected-mislabel ranking on PublicTest (out-of-sample scores of a
 *    scoring round, FER+ votes not used), against the base rate, and of the same ranking from an in-sample model
 *    (trained on the very labels it judges, PublicTest included);
 * 2. consensus from few voters: 3 of each face's FER+ votes for the seven emotions (seeded), majority vs Dawid-Skene
 *    variants, against the full 10-vote FER+ majority (faces whose 10-vote majority is tied left out);
 * 3. seconds for the scoring round and for a full consensus recompute.
 * --minutes is the training time of the whole round (split over the folds); the in-sample model gets one fold's
 * share. The round's own phases (loading, scoring, writing) come on top. Against a database that already holds a
 * complete round (BENCH_DATABASE_URL), `--round <id> --skip-in-sample` grades that round again without training.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { faceDawidSkene } from "../../lib/curation/consensus/face-dawid-skene";
import type { FaceOpinions } from "../../lib/curation/consensus/face-opinions";
import { recomputeConsensus } from "../../lib/curation/consensus/recompute-consensus";
import { loadLabelledSet } from "../../lib/curation/load-labelled-set";
import { loadRoundScores } from "../../lib/curation/scoring-rounds/scoring-round-store";
import { findLabelIssues, type FaceEvidence, type RankedFace } from "../../lib/curation/strategies";
import { queryRows } from "../../lib/db/query-rows";
import { FERPLUS_COLUMNS, FERPLUS_TO_CANONICAL, NUM_EMOTIONS } from "../../lib/emotions";
import { FACE_PIXELS } from "../../lib/images/face-format";
import { readFaces } from "../../lib/images/face-shards";
import { importDataset } from "../../lib/import/import-dataset";
import { getModelSpec } from "../../lib/models";
import { FAST_PRESET } from "../../lib/models/presets";
import { mulberry32 } from "../../lib/random";
import { claimRun, enqueueRun } from "../../lib/runs/run-queue";
import { selectBackend } from "../../lib/tf/select-backend";
import { scoreFaces } from "../../lib/training/evaluate";
import { createFaceDataset } from "../../lib/training/face-dataset";
import { trainModel } from "../../lib/training/train-model";
import { runScoringRoundJob } from "../../trainer/run-scoring-round-job";
import { startBenchServices } from "../support/bench-services";

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== "--"),
  options: {
    data: { type: "string", default: "../shared/fer2013" },
    minutes: { type: "string", default: "20" },
    folds: { type: "string", default: "5" },
    epochs: { type: "string", default: "30" },
    seed: { type: "string", default: "1" },
    "skip-round": { type: "boolean", default: false },
    /** Grade an existing complete round (BENCH_DATABASE_URL with an earlier run's data) instead of running one. */
    round: { type: "string" },
    "skip-embeddings": { type: "boolean", default: false },
    "skip-in-sample": { type: "boolean", default: false },
  },
});
const minutes = Number(values.minutes);
const folds = Number(values.folds);
const seed = Number(values.seed);
const t0 = performance.now();
const stamp = () => `[${((performance.now() - t0) / 1000).toFixed(0).padStart(5)} s]`;
const log = (m: string) => console.log(`${stamp()} ${m}`);
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

const backend = await selectBackend({});
log(`tfjs backend ${backend.backend}, ${backend.threads} thread(s)`);
const services = await startBenchServices();
const db = services.database.db;
log(`against: ${services.describe}`);

try {
  for (const file of ["fer2013.csv.gz", "fer2013new.csv"]) {
    const started = performance.now();
    const summary = await importDataset({ db, store: services.store, path: path.join(values.data!, file) });
    log(`imported ${file}: ${summary.rowsRead} rows in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }

  // ---- 3b: a full consensus recompute (35k faces: majority, soft, Dawid-Skene fit, written back).
  const recompute = await recomputeConsensus(db);
  const again = await recomputeConsensus(db);

  console.log(`\n=== 3b. Full consensus recompute ===`);
  for (const [name, r] of [["first", recompute], ["second", again]] as const)
    console.log(
      `  full consensus recompute (${name}), ${r.faces} faces: ${r.seconds.total.toFixed(2)} s ` +
        `(load ${r.seconds.load.toFixed(2)}, compute ${r.seconds.compute.toFixed(2)} with ${r.dawidSkeneIterations} Dawid-Skene iterations, write ${r.seconds.write.toFixed(2)})`,
    );
  // ---- PublicTest (the val split): FER-2013 label, FER+ votes, truth = FER+ 7-emotion majority != FER-2013 label.
  const val = await queryRows<{ id: number; original: number[]; counts: number[] | null; raw: number[] | null }>(
    db,
    sql`select i.id,
          (select array_agg(a.label order by a.id) from annotations a where a.image_id = i.id and a.annotator_id is null and a.label >= 0) as original,
          (select v.counts from image_votes v where v.image_id = i.id and v.source = 'ferplus') as counts,
          -- one FER+ row's raw columns, to draw 3 simulated voters from (a face in two rows has two)
          (select v.raw_counts from vote_counts v where v.image_id = i.id and v.source = 'ferplus' order by v.source_ref limit 1) as raw
        from images i where i.status = 'active' order by i.id`,
  );
  const splitOf = new Map(
    (await queryRows<{ id: number; split: string }>(db, sql`select id, split from images`)).map((r) => [r.id, r.split]),
  );
  const faces = val.filter((f) => f.original?.length && f.counts && f.counts.reduce((a, b) => a + Number(b), 0) > 0);
  const mislabelled = new Map<number, boolean>();
  for (const f of faces) {
    const counts = f.counts!.map(Number);
    const best = Math.max(...counts);
    mislabelled.set(f.id, counts[f.original[0]] < best);
  }
  const publicTest = faces.filter((f) => splitOf.get(f.id) === "val");
  const baseRate = publicTest.filter((f) => mislabelled.get(f.id)).length / publicTest.length;

  // ---- 2. Consensus from 3 simulated voters per face (all imported faces with votes).
  const consensusTable = (outOfSample: Map<number, number[]> | null) => {
  console.log(`\n=== 2. Consensus from 3 of each face's FER+ emotion votes (seed ${seed}) against the 10-vote FER+ majority ===`);
  const random = mulberry32(seed);
  const sims: { id: number; truth: number; fer: number; three: number[]; opinions: FaceOpinions }[] = [];
  for (const f of faces) {
    if (!f.raw) continue;
    const counts = f.counts!.map(Number);
    const best = Math.max(...counts);
    if (counts.filter((c) => c === best).length > 1) continue; // tied 10-vote majority: no truth
    // The face's votes for the seven emotions (contempt, unknown and not-a-face votes are not answers to the question
    // asked here), as the issue's reference numbers were drawn.
    const pool: number[] = [];
    f.raw.forEach((n, column) => {
      if (FERPLUS_TO_CANONICAL[FERPLUS_COLUMNS[column]] == null) return;
      for (let k = 0; k < Number(n); k++) pool.push(column);
    });
    for (let i = pool.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    const three = pool
      .slice(0, 3)
      .map((column) => FERPLUS_TO_CANONICAL[FERPLUS_COLUMNS[column]])
      .filter((c): c is NonNullable<typeof c> => c !== null);
    const crowd = new Array<number>(NUM_EMOTIONS).fill(0);
    for (const c of three) crowd[c]++;
    sims.push({
      id: f.id,
      truth: counts.indexOf(best),
      fer: f.original[0],
      three,
      opinions: { imageId: f.id, original: [f.original[0]], crowd, people: [] },
    });
  }
  const accuracy = (labels: (number | null)[]) => labels.filter((l, i) => l === sims[i].truth).length / sims.length;
  const majority = (s: (typeof sims)[number], tieToFer: boolean) => {
    const c = s.opinions.crowd!;
    const best = Math.max(...c);
    if (best === 0) return tieToFer ? s.fer : null;
    const tied = c.flatMap((n, k) => (n === best ? [k] : []));
    return tied.length > 1 && tieToFer && tied.includes(s.fer) ? s.fer : tied[0];
  };
  const rows: [string, number][] = [];
  rows.push(["majority of the 3 (ties: smallest class index)", accuracy(sims.map((s) => majority(s, false)))]);
  rows.push(["majority of the 3, ties to the FER-2013 label", accuracy(sims.map((s) => majority(s, true)))]);
  const ds = (options: Parameters<typeof faceDawidSkene>[1], extra?: (s: (typeof sims)[number]) => FaceOpinions) =>
    faceDawidSkene(sims.map((s) => (extra ? extra(s) : s.opinions)), options).consensus.map((c) => c.label);
  rows.push(["Dawid-Skene: pooled 3 voters + FER-2013 label", accuracy(ds({ smoothing: 0.01, diagonal: 1 }))]);
  // The FER-2013 label as a weaker witness (weight 1/2; a setting picked by looking at this table, so optimistic).
  rows.push(["Dawid-Skene: pooled 3 voters + FER-2013 label weighted 1/2", accuracy(ds({ smoothing: 0.01, diagonal: 1, originalWeight: 0.5 }))]);
  if (outOfSample) {
    // The round's out-of-sample probabilities as one more (soft) annotator, one vote's weight in total.
    const withModel = (s: (typeof sims)[number]): FaceOpinions => ({ ...s.opinions, model: outOfSample.get(s.id) ?? null });
    rows.push(["Dawid-Skene: pooled 3 + FER-2013 label + model's out-of-sample probs", accuracy(ds({ smoothing: 0.01, diagonal: 1 }, withModel))]);
    rows.push([
      "Dawid-Skene: pooled 3 + FER-2013 label 1/2 + model's out-of-sample probs",
      accuracy(ds({ smoothing: 0.01, diagonal: 1, originalWeight: 0.5 }, withModel)),
    ]);
    const majorityModel = sims.map((s) => {
      const p = outOfSample.get(s.id);
      const c = s.opinions.crowd!.map((n, k) => n + (p ? p[k] : 0) + (k === s.fer ? 0.5 : 0));
      return c.indexOf(Math.max(...c));
    });
    rows.push(["votes of the 3 + model probs + 1/2 for the FER-2013 label", accuracy(majorityModel)]);
  }
  // The ceiling of every method of this family: naive Bayes (what Dawid-Skene fits) with its priors and confusion
  // matrices counted against the truth itself, which no real method has. Dawid-Skene cannot beat it by fitting better.
  const oracle = (withFer: boolean, withModel: boolean) => {
    const counts = (init: number) => Array.from({ length: NUM_EMOTIONS }, () => new Array<number>(NUM_EMOTIONS).fill(init));
    const [crowd, fer, model] = [counts(0.01), counts(0.01), counts(0.01)];
    const prior = new Array<number>(NUM_EMOTIONS).fill(0);
    for (const s of sims) {
      prior[s.truth]++;
      fer[s.truth][s.fer]++;
      s.opinions.crowd!.forEach((n, k) => (crowd[s.truth][k] += n));
      outOfSample?.get(s.id)?.forEach((p, k) => (model[s.truth][k] += p));
    }
    const logRows = (m: number[][]) => m.map((row) => row.map((v) => Math.log(v / row.reduce((a, b) => a + b, 0))));
    const [lc, lf, lm] = [logRows(crowd), logRows(fer), logRows(model)];
    return sims.map((s) => {
      const p = withModel ? outOfSample?.get(s.id) : undefined;
      const score = prior.map(
        (n, j) =>
          Math.log(n / sims.length) +
          s.opinions.crowd!.reduce((a, v, k) => a + v * lc[j][k], 0) +
          (withFer ? lf[j][s.fer] : 0) +
          (p ? p.reduce((a, q, k) => a + q * lm[j][k], 0) : 0),
      );
      return score.indexOf(Math.max(...score));
    });
  };
  rows.push(["(ceiling) naive Bayes fitted on the truth: 3 votes + FER-2013 label", accuracy(oracle(true, false))]);
  if (outOfSample) rows.push(["(ceiling) naive Bayes fitted on the truth: + model's probs", accuracy(oracle(true, true))]);
  console.log(`  ${sims.length} faces (Training + PublicTest with FER+ votes, 10-vote majority not tied)`);
  for (const [name, acc] of rows) console.log(`  ${name.padEnd(72)} ${pct(acc)}`);
  };
  try {
    consensusTable(null);
  } catch (error) {
    console.log(`consensus table failed: ${error instanceof Error ? error.stack : error}`);
  }
  // ---- the scoring round, queued and claimed like any run.
  let roundId: number | null = null;
  let roundSeconds = NaN;
  if (values.round) {
    roundId = Number(values.round);
  } else if (!values["skip-round"]) {
    const runId = await enqueueRun(db, {
      modelName: "compact",
      config: {
        job: "scoring-round",
        folds,
        timeBudgetMinutes: minutes,
        epochs: Number(values.epochs),
        seed,
        embed: !values["skip-embeddings"],
      },
      trigger: "bench",
    });
    const run = (await claimRun(db, runId, "bench"))!;
    const started = performance.now();
    let lastMessage = "";
    const outcome = await runScoringRoundJob(
      {
        db,
        store: services.store,
        workerId: "bench",
        heartbeatMs: 10_000,
        log,
        onProgress: (p) => {
          if (p.message && p.message !== lastMessage && p.phase !== "training") log((lastMessage = p.message));
        },
      },
      run,
    );
    roundSeconds = (performance.now() - started) / 1000;
    if (outcome !== "succeeded") throw new Error(`scoring round ${outcome}`);
    const [row] = await queryRows<{ id: number }>(db, sql`select id from scoring_rounds where run_id = ${runId}`);
    roundId = row.id;
  }

  const precisionAt = (ranking: RankedFace[], k: number) => {
    const top = ranking.slice(0, k);
    return top.length < k ? NaN : top.filter((r) => mislabelled.get(r.imageId)).length / k;
  };
  const rankings = (probsOf: Map<number, number[]>) => {
    const evidence: FaceEvidence[] = publicTest
      .filter((f) => probsOf.has(f.id))
      .map((f) => ({ imageId: f.id, probs: probsOf.get(f.id)!, given: f.original[0], people: [], votes: null }));
    const margin = findLabelIssues(evidence, "normalized-margin");
    const self = findLabelIssues(evidence, "self-confidence");
    // The rest by the same score, so a ranking has every face (issues first).
    const complete = (issues: RankedFace[], score: (f: FaceEvidence) => number) => {
      const flagged = new Set(issues.map((i) => i.imageId));
      const rest = evidence.filter((f) => !flagged.has(f.imageId)).map((f) => ({ imageId: f.imageId, score: score(f) }));
      return [...issues, ...rest.sort((a, b) => b.score - a.score || a.imageId - b.imageId)];
    };
    const marginScore = (f: FaceEvidence) => {
      let other = 0;
      for (let k = 0; k < NUM_EMOTIONS; k++) if (k !== f.given) other = Math.max(other, f.probs![k]);
      return other - f.probs![f.given!];
    };
    // The queue's old formula: the model's top class != label with p >= 0.5, by p(top) - p(label).
    const old = evidence
      .map((f) => {
        const p = Array.from(f.probs!);
        const top = p.indexOf(Math.max(...p));
        return top !== f.given && p[top] >= 0.5 ? { imageId: f.imageId, score: p[top] - p[f.given!] } : null;
      })
      .filter((r): r is RankedFace => r !== null)
      .sort((a, b) => b.score - a.score || a.imageId - b.imageId);
    return {
      faces: evidence.length,
      flagged: margin.length,
      rows: [
        ["confident learning, normalized margin", complete(margin, marginScore)],
        ["confident learning, self-confidence", complete(self, (f) => -f.probs![f.given!])],
        ["old formula (p >= 0.5, p(top) - p(label))", old],
      ] as [string, RankedFace[]][],
    };
  };
  const table = (title: string, probsOf: Map<number, number[]>) => {
    const r = rankings(probsOf);
    console.log(`\n${title}: ${r.faces} PublicTest faces, ${r.flagged} flagged as label issues by confident learning`);
    console.log(`  ${"ranking".padEnd(44)} P@100    P@200    P@500    (ranked)`);
    for (const [name, ranking] of r.rows)
      console.log(`  ${name.padEnd(44)} ${[100, 200, 500].map((k) => pct(precisionAt(ranking, k)).padEnd(8)).join(" ")} (${ranking.length})`);
    console.log(`  base rate (FER+ 7-emotion majority differs from the FER-2013 label): ${pct(baseRate)} of ${publicTest.length}`);
  };

  let outOfSample: Map<number, number[]> | null = null;
  if (roundId !== null) {
    const scores = await loadRoundScores(db, roundId);
    outOfSample = new Map(scores.map((s) => [s.imageId, s.probs]));
    console.log(`\n=== 1. Model-only suspected mislabels on PublicTest (FER+ votes used only to grade) ===`);
    table(`out of sample (scoring round ${roundId}: ${values.round ? "stored by an earlier run" : `${folds}-fold compact, ${minutes} min training in all`}; PublicTest scored by the fold models averaged, none trained on it; one view per face)`, new Map(
      [...outOfSample].filter(([id]) => splitOf.get(id) === "val"),
    ));

    try {
      consensusTable(outOfSample);
    } catch (error) {
      console.log(`consensus with the model failed: ${error instanceof Error ? error.stack : error}`);
    }
    if (!values["skip-in-sample"]) {
    // In sample: one compact net trained on Training + PublicTest FER-2013 labels (the labels it then judges).
    const inSampleStarted = performance.now();
    const once = new Set<number>();
    const labelled = [...(await loadLabelledSet(db, "train", "original")), ...(await loadLabelledSet(db, "val", "original"))].filter(
      (l) => !once.has(l.imageId) && once.add(l.imageId),
    );
    const pixels = new Uint8Array(labelled.length * FACE_PIXELS);
    (await readFaces(services.store, labelled)).forEach((f, i) => pixels.set(f, i * FACE_PIXELS));
    const model = getModelSpec("compact").build();
    await trainModel({
      model,
      preset: { ...FAST_PRESET, epochs: Number(values.epochs) },
      train: createFaceDataset({ pixels, labels: labelled.map((l) => l.label) }),
      timeBudgetSeconds: (minutes * 60) / folds,
      seed,
    });
    const valIdx = labelled.flatMap((l, i) => (splitOf.get(l.imageId) === "val" ? [i] : []));
    const valPixels = new Uint8Array(valIdx.length * FACE_PIXELS);
    valIdx.forEach((i, k) => valPixels.set(pixels.subarray(i * FACE_PIXELS, (i + 1) * FACE_PIXELS), k * FACE_PIXELS));
    const inScores = await scoreFaces(model, valPixels);
    model.dispose();
    const inSample = new Map(
      valIdx.map((i, k) => [labelled[i].imageId, Array.from(inScores.probabilities.subarray(k * NUM_EMOTIONS, (k + 1) * NUM_EMOTIONS))]),
    );
    table(`in sample (one compact net trained ${(minutes / folds).toFixed(1)} min on Training + PublicTest labels, in ${((performance.now() - inSampleStarted) / 1000).toFixed(0)} s)`, inSample);
    }
  }

  // ---- 3. timings
  console.log(`\n=== 3. Time on this machine (${backend.backend}, ${backend.threads} threads; shared cores) ===`);
  if (roundId !== null && !values.round)
    console.log(
      `  scoring round, ${folds}-fold compact, ${minutes} min training budget${values["skip-embeddings"] ? ", without the embedding pass" : ""}: ${roundSeconds.toFixed(0)} s in all`,
    );
  for (const [name, r] of [["first", recompute], ["second", again]] as const)
    console.log(
      `  full consensus recompute (${name}), ${r.faces} faces: ${r.seconds.total.toFixed(2)} s ` +
        `(load ${r.seconds.load.toFixed(2)}, compute ${r.seconds.compute.toFixed(2)} with ${r.dawidSkeneIterations} Dawid-Skene iterations, write ${r.seconds.write.toFixed(2)})`,
    );
} finally {
  await services.stop();
}
