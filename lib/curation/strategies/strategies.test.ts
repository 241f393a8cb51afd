import { describe, expect, it } from "vitest";
import {
  classBalanced,
  confidentLearning,
  diverse,
  type FaceEvidence,
  findLabelIssues,
  highestEntropy,
  kCenterGreedy,
  leastConfidence,
  mixRankings,
  neverReviewed,
  peopleVersusModel,
  perClassThresholds,
  randomSample,
  SAMPLING_STRATEGIES,
  smallestMargin,
  suspectedMislabel,
  voteEntropy,
} from "./index";

const face = (imageId: number, probs: number[] | null, extra: Partial<FaceEvidence> = {}): FaceEvidence => ({
  imageId,
  probs,
  given: null,
  people: [],
  votes: null,
  ...extra,
});
const ids = (ranked: { imageId: number }[]) => ranked.map((r) => r.imageId);
const pad = (p: number[]) => [...p, ...new Array(7 - p.length).fill(0)];

describe("uncertainty strategies", () => {
  // 1: sure; 2: two-way tie; 3: spread over three; 4: 0.5 top with a flat tail.
  const faces = [
    face(1, pad([0.9, 0.1])),
    face(2, pad([0.45, 0.45, 0.1])),
    face(3, pad([0.34, 0.33, 0.33])),
    face(4, pad([0.5, 0.1, 0.1, 0.1, 0.1, 0.1])),
    face(5, null),
  ];
  it("least confidence: lowest top probability first; unscored faces left out", () => {
    expect(ids(leastConfidence.rank(faces))).toEqual([3, 2, 4, 1]);
  });
  it("smallest margin: closest top two first", () => {
    expect(ids(smallestMargin.rank(faces))).toEqual([2, 3, 4, 1]);
  });
  it("highest entropy: flattest distribution first", () => {
    expect(ids(highestEntropy.rank(faces))).toEqual([4, 3, 2, 1]);
  });
});

describe("confident learning", () => {
  // Class 0 faces are usually predicted at 0.8, class 1 at 0.6: thresholds 0.8-ish and 0.6-ish.
  const faces: FaceEvidence[] = [
    face(1, pad([0.9, 0.1]), { given: 0 }),
    face(2, pad([0.8, 0.2]), { given: 0 }),
    face(3, pad([0.1, 0.9]), { given: 0 }), // clear issue: class 1 clears its threshold, 0 does not
    face(4, pad([0.3, 0.7]), { given: 0 }), // milder issue
    face(5, pad([0.3, 0.7]), { given: 1 }),
    face(6, pad([0.5, 0.5]), { given: 1 }), // below class 1's threshold, but 0.5 < class 0's: no issue
    face(7, pad([0.2, 0.8]), { given: 1 }),
    face(8, pad([0.05, 0.95]), { given: null }), // no given label: never an issue
  ];
  it("thresholds are the mean self-probability per given class", () => {
    const t = perClassThresholds(faces);
    expect(t[0]).toBeCloseTo((0.9 + 0.8 + 0.1 + 0.3) / 4);
    expect(t[1]).toBeCloseTo((0.7 + 0.5 + 0.8) / 3);
    expect(t[2]).toBe(Infinity);
  });
  it("finds the faces where another class clears its threshold and the given one does not, worst first", () => {
    const issues = findLabelIssues(faces, "normalized-margin");
    expect(ids(issues)).toEqual([3, 4]);
    expect(issues[0].suggested).toBe(1);
    expect(issues[0].score).toBeCloseTo(0.8);
    expect(ids(findLabelIssues(faces, "self-confidence"))).toEqual([3, 4]);
  });
  it("the two rankings differ where the runner-up and the given label split the rest differently", () => {
    const given = 0;
    const many: FaceEvidence[] = [
      ...Array.from({ length: 10 }, (_, i) => face(100 + i, pad([0.9, 0.02, 0.02, 0.02, 0.02, 0.01, 0.01]), { given })),
      ...Array.from({ length: 10 }, (_, i) => face(200 + i, pad([0.1, 0.4, 0.1, 0.1, 0.1, 0.1, 0.1]), { given: 1 })),
      ...Array.from({ length: 10 }, (_, i) => face(300 + i, pad([0.1, 0.1, 0.35, 0.1, 0.1, 0.1, 0.15]), { given: 2 })),
      face(1, pad([0.2, 0.6, 0.2]), { given }), // self-confidence 0.2, margin -0.4
      face(2, pad([0.15, 0.45, 0.4]), { given }), // self-confidence 0.15, margin -0.3
    ];
    expect(ids(findLabelIssues(many, "normalized-margin"))).toEqual([1, 2]);
    expect(ids(findLabelIssues(many, "self-confidence"))).toEqual([2, 1]);
    expect(confidentLearning("self-confidence").evidence).toBe("model");
  });
  it("reads neither people nor the crowd", () => {
    const withCrowd = faces.map((f) => ({ ...f, people: [5, 5], votes: pad([0, 0, 0, 0, 0, 10]) }));
    expect(findLabelIssues(withCrowd)).toEqual(findLabelIssues(faces));
  });
});

describe("disagreement", () => {
  it("vote entropy: split votes first, unanimous last, single opinions left out", () => {
    const faces = [
      face(1, null, { votes: pad([10]) }),
      face(2, null, { votes: pad([5, 5]) }),
      face(3, null, { votes: pad([6, 4]), people: [2] }),
      face(4, null, { people: [3] }),
    ];
    expect(ids(voteEntropy.rank(faces))).toEqual([3, 2, 1]);
  });
  it("people against the model: the model's probability of what people said, lowest first", () => {
    const faces = [
      face(1, pad([0.9, 0.1]), { people: [0] }),
      face(2, pad([0.9, 0.1]), { people: [1] }),
      face(3, pad([0.9, 0.1]), { people: [0, 1] }),
      face(4, pad([0.9, 0.1]), { people: [] }),
    ];
    expect(ids(peopleVersusModel.rank(faces))).toEqual([2, 3, 1]);
  });
  it("suspected mislabel combines the model and the crowd", () => {
    const faces = [
      face(1, pad([0.9, 0.1]), { given: 0 }), // agrees
      face(2, pad([0.3, 0.7]), { given: 0 }), // model disagrees by 0.4
      face(3, pad([0.9, 0.1]), { given: 0, votes: pad([1, 9]) }), // crowd disagrees by 0.8
    ];
    expect(ids(suspectedMislabel.rank(faces))).toEqual([3, 2]);
  });
});

describe("coverage strategies", () => {
  it("never reviewed: unlabelled faces, oldest first", () => {
    const faces = [face(3, null), face(1, null, { people: [2] }), face(2, null)];
    expect(ids(neverReviewed.rank(faces))).toEqual([2, 3]);
  });
  it("random: a seeded permutation of every face", () => {
    const faces = Array.from({ length: 50 }, (_, i) => face(i, null));
    const a = ids(randomSample.rank(faces, { seed: 7 }));
    expect([...a].sort((x, y) => x - y)).toEqual(ids(faces));
    expect(ids(randomSample.rank(faces, { seed: 7 }))).toEqual(a);
    expect(ids(randomSample.rank(faces, { seed: 8 }))).not.toEqual(a);
  });
  it("class-balanced: a rare class gets its turn among the first places", () => {
    const happy = Array.from({ length: 20 }, (_, i) => face(i + 1, pad([0, 0, 0, 0.5 + i / 100, 0.5 - i / 100])));
    const disgust = face(100, pad([0, 0.9, 0, 0.1])); // confident, so last by margin
    const plain = ids(smallestMargin.rank([...happy, disgust]));
    expect(plain.indexOf(100)).toBe(20);
    const balanced = ids(classBalanced(smallestMargin).rank([...happy, disgust]));
    expect(balanced.indexOf(100)).toBeLessThan(2);
  });
});

describe("diversity", () => {
  it("k-center greedy picks the far point before the near duplicate", () => {
    const points = [[0, 0], [0.01, 0], [10, 0], [5, 5]];
    expect(kCenterGreedy(points, 4)).toEqual([0, 2, 3, 1]);
  });
  it("a diversified ranking never serves near-duplicates in a row", () => {
    // Three near-identical faces and three distinct ones, all equally uncertain in pairs.
    const faces = [
      face(1, pad([0.5, 0.5]), { embedding: [0, 0] }),
      face(2, pad([0.5, 0.49]), { embedding: [0, 0.01] }),
      face(3, pad([0.5, 0.48]), { embedding: [0.01, 0] }),
      face(4, pad([0.5, 0.3]), { embedding: [10, 0] }),
      face(5, pad([0.5, 0.2]), { embedding: [0, 10] }),
      face(6, pad([0.5, 0.1]), { embedding: [10, 10] }),
    ];
    expect(ids(smallestMargin.rank(faces)).slice(0, 3)).toEqual([1, 2, 3]);
    const order = ids(diverse(smallestMargin).rank(faces));
    expect(order[0]).toBe(1);
    const duplicates = new Set([1, 2, 3]);
    for (let i = 1; i < 4; i++) expect(duplicates.has(order[i]) && duplicates.has(order[i - 1])).toBe(false);
  });
});

describe("mixing", () => {
  it("interleaves by weight, each face once", () => {
    const a = [1, 2, 3, 4].map((imageId) => ({ imageId, score: 0 }));
    const b = [2, 10, 11].map((imageId) => ({ imageId, score: 0 }));
    expect(ids(mixRankings([{ ranking: a, weight: 2 }, { ranking: b, weight: 1 }]))).toEqual([1, 2, 3, 4, 10, 11]);
  });
});

describe("the strategy contract", () => {
  const faces = Array.from({ length: 30 }, (_, i) =>
    face(i + 1, pad([0.6 - i / 100, 0.4 + i / 200]), {
      given: i % 2,
      people: i % 3 === 0 ? [1] : [],
      votes: pad([5, 5]),
      embedding: [i, 0],
    }),
  );
  for (const strategy of SAMPLING_STRATEGIES) {
    it(`${strategy.name}: ids from the input, each once, scores not increasing`, () => {
      const ranked = strategy.rank(faces, { seed: 3 });
      const known = new Set(faces.map((f) => f.imageId));
      expect(new Set(ids(ranked)).size).toBe(ranked.length);
      for (const r of ranked) expect(known.has(r.imageId)).toBe(true);
      for (let i = 1; i < ranked.length; i++) expect(ranked[i].score).toBeLessThanOrEqual(ranked[i - 1].score);
    });
  }
  it("names are unique", () => {
    expect(new Set(SAMPLING_STRATEGIES.map((s) => s.name)).size).toBe(SAMPLING_STRATEGIES.length);
  });
});
