import { describe, expect, it } from "vitest";
import { mulberry32 } from "../../random";
import { dawidSkene, dawidSkeneData } from "./dawid-skene";
import { CROWD_ANNOTATOR, faceDawidSkene, ORIGINAL_ANNOTATOR } from "./face-dawid-skene";
import { majorityVote } from "./majority-vote";
import { softDistribution } from "./soft-distribution";

const K = 3;
/** Synthetic annotators with known confusion matrices answering items with known truths. */
function synthetic(confusions: number[][][], items: number, priors: number[], seed = 1) {
  const random = mulberry32(seed);
  const draw = (p: number[]) => {
    let u = random();
    for (let i = 0; i < p.length; i++) if ((u -= p[i]) < 0) return i;
    return p.length - 1;
  };
  const truth: number[] = [];
  const observations: { item: number; annotator: number; label: number }[] = [];
  for (let i = 0; i < items; i++) {
    const t = draw(priors);
    truth.push(t);
    confusions.forEach((m, a) => observations.push({ item: i, annotator: a, label: draw(m[t]) }));
  }
  return { truth, observations };
}

describe("Dawid-Skene", () => {
  // One reliable annotator and four poor ones who mistake class 0 for class 1 in the same way: majority follows the
  // poor ones, Dawid-Skene learns whom to believe.
  const good = [[0.9, 0.05, 0.05], [0.05, 0.9, 0.05], [0.05, 0.05, 0.9]];
  const poor = [[0.4, 0.5, 0.1], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8]];
  const confusions = [good, poor, poor, poor, poor];
  const priors = [0.5, 0.3, 0.2];
  const { truth, observations } = synthetic(confusions, 4000, priors);
  const data = dawidSkeneData({ items: truth.length, classes: K, annotators: confusions.length }, observations);
  const result = dawidSkene(data, { smoothing: 0.01, diagonal: 0 });

  it("recovers the annotators' confusion matrices and the class priors", () => {
    for (let a = 0; a < confusions.length; a++)
      for (let j = 0; j < K; j++)
        for (let l = 0; l < K; l++) expect(Math.abs(result.model.confusion[a][j * K + l] - confusions[a][j][l])).toBeLessThan(0.05);
    for (let j = 0; j < K; j++) expect(Math.abs(result.model.priors[j] - priors[j])).toBeLessThan(0.03);
    expect(result.converged).toBe(true);
  });

  it("is more accurate than majority vote on them", () => {
    let dsRight = 0;
    let majorityRight = 0;
    const votes = truth.map(() => new Array<number>(K).fill(0));
    for (const o of observations) votes[o.item][o.label]++;
    truth.forEach((t, i) => {
      const row = Array.from(result.posteriors.subarray(i * K, (i + 1) * K));
      if (row.indexOf(Math.max(...row)) === t) dsRight++;
      if (votes[i].indexOf(Math.max(...votes[i])) === t) majorityRight++;
    });
    expect(dsRight / truth.length).toBeGreaterThan(majorityRight / truth.length + 0.05);
  });

  it("applies a fitted model without refitting", () => {
    const again = dawidSkene(data, { model: result.model });
    expect(again.iterations).toBe(0);
    for (let i = 0; i < 30; i++) expect(again.posteriors[i]).toBeCloseTo(result.posteriors[i], 3);
  });
});

describe("consensus of faces", () => {
  const face = {
    imageId: 7,
    original: [2],
    crowd: [0, 0, 0, 6, 0, 0, 4],
    people: [{ annotatorId: "u1", label: 6 }],
  };
  it("majority: every vote once; ties go to the original label", () => {
    expect(majorityVote(face)).toMatchObject({ label: 3, method: "majority" });
    expect(majorityVote(face).confidence).toBeCloseTo(6 / 12);
    const tie = { imageId: 1, original: [6], crowd: [0, 0, 0, 5, 0, 0, 4], people: [] };
    expect(majorityVote(tie).label).toBe(6);
  });
  it("soft: the vote distribution", () => {
    const soft = softDistribution(face);
    expect(soft.distribution[3]).toBeCloseTo(0.5);
    expect(soft.distribution[6]).toBeCloseTo(5 / 12);
    expect(soft.label).toBe(3);
  });
  it("no label for a face people mostly judged not a face, or nobody labelled", () => {
    expect(majorityVote({ ...face, people: [], notFace: 2 }).label).toBeNull();
    expect(softDistribution({ imageId: 1, original: [], crowd: null, people: [] }).label).toBeNull();
  });
  it("Dawid-Skene over faces: the original label, the pooled crowd and each person are annotators", () => {
    const faces = Array.from({ length: 200 }, (_, i) => ({
      imageId: i,
      original: [i % 7],
      crowd: Array.from({ length: 7 }, (_, c) => (c === i % 7 ? 8 : c === (i + 1) % 7 ? 2 : 0)),
      people: i % 2 === 0 ? [{ annotatorId: "u1", label: i % 7 }] : [],
    }));
    const { consensus, model } = faceDawidSkene(faces);
    expect(model.annotators).toEqual([ORIGINAL_ANNOTATOR, CROWD_ANNOTATOR, "u1"]);
    consensus.forEach((c, i) => expect(c.label).toBe(i % 7));
    expect(consensus[0].method).toBe("dawid-skene");
    expect(consensus[0].confidence).toBeGreaterThan(0.9);
  });
});
