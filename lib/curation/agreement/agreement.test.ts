import { describe, expect, it } from "vitest";
import { annotatorAccuracy } from "./annotator-accuracy";
import { fleissKappa } from "./fleiss-kappa";
import { krippendorffAlphaNominal, unitCounts } from "./krippendorff-alpha";

// Fleiss (1971), Table 1: 30 patients, 6 psychiatrists each, 5 diagnoses (1 depression, 2 personality disorder,
// 3 schizophrenia, 4 neurosis, 5 other); as published in R's irr package (`diagnoses`) and statsmodels' tests.
const FLEISS_1971 = [
  [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5], [2, 2, 2, 4, 4, 4],
  [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4], [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5],
  [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4], [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5],
  [3, 3, 3, 3, 3, 5], [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
  [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4], [1, 4, 4, 4, 4, 5],
  [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4], [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5],
];

describe("Fleiss' kappa", () => {
  it("equals Fleiss (1971): kappa 0.430 overall and his per-diagnosis kappas", () => {
    const counts = FLEISS_1971.map((ratings) => {
      const row = [0, 0, 0, 0, 0];
      for (const r of ratings) row[r - 1]++;
      return row;
    });
    const result = fleissKappa(counts);
    expect(result.kappa).toBeCloseTo(0.4302445, 6); // irr::kappam.fleiss(diagnoses)
    // Fleiss 1971, Table 2: .245 .245 .520 .471 .566
    expect(result.perCategory.map((k) => Number(k.toFixed(3)))).toEqual([0.245, 0.245, 0.52, 0.471, 0.566]);
  });

  it("equals the 10-item, 14-rater worked example (kappa 0.210)", () => {
    const table = [
      [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
    ];
    expect(fleissKappa(table).kappa).toBeCloseTo(0.21, 3);
  });

  it("is 1 for perfect agreement and skips items with one rating", () => {
    expect(fleissKappa([[3, 0], [0, 3], [1, 0]]).kappa).toBe(1);
  });
});

describe("Krippendorff's alpha (nominal)", () => {
  it("equals Krippendorff's worked example with missing values (alpha 0.743)", () => {
    // Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": 4 observers, 12 units, values 1..5.
    const _ = null;
    const table = [
      [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
      [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
      [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
      [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
    ].map((coder) => coder.map((v) => (v === null ? null : v - 1)));
    expect(krippendorffAlphaNominal(unitCounts(table, 5))).toBeCloseTo(0.743, 3);
  });

  it("is 1 for perfect agreement", () => {
    expect(krippendorffAlphaNominal([[2, 0], [0, 3], [2, 0]])).toBe(1);
  });
});

describe("annotator accuracy", () => {
  it("counts each person's labels against consensus, rows consensus, columns theirs", () => {
    const consensus = new Map<number, number | null>([[1, 3], [2, 3], [3, 0], [4, null]]);
    const [a, b] = annotatorAccuracy(
      [
        { annotatorId: "a", imageId: 1, label: 3 },
        { annotatorId: "a", imageId: 2, label: 4 },
        { annotatorId: "a", imageId: 3, label: 0 },
        { annotatorId: "a", imageId: 4, label: 0 },
        { annotatorId: "b", imageId: 1, label: 3 },
      ],
      consensus,
    );
    expect(a).toMatchObject({ annotatorId: "a", labels: 3 });
    expect(a.accuracy).toBeCloseTo(2 / 3);
    expect(a.confusion[3][4]).toBe(1);
    expect(b).toMatchObject({ annotatorId: "b", labels: 1, accuracy: 1 });
  });
});
