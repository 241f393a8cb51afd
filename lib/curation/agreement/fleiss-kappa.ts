/**
 * Fleiss' kappa (Fleiss, 1971) from per-item category counts (`counts[i][j]`: how many raters put item i in category
 * j). Items may have different numbers of raters; items with fewer than two carry no agreement and are left out.
 * Per category: kappa_j = 1 - sum_i n_ij (m_i - n_ij) / (m_i - 1) / (sum_i m_i p_j q_j) (Fleiss 1971, eq. 17,
 * generalised to varying m_i).
 */
export interface FleissKappa {
  kappa: number;
  /** Per category; NaN for a category nobody used (or everybody used). */
  perCategory: number[];
  items: number;
  ratings: number;
  observedAgreement: number;
  expectedAgreement: number;
}

export function fleissKappa(counts: readonly (readonly number[])[]): FleissKappa {
  const K = counts[0]?.length ?? 0;
  const totals = new Array<number>(K).fill(0);
  let items = 0;
  let ratings = 0;
  let agreementSum = 0;
  for (const row of counts) {
    const m = row.reduce((a, b) => a + b, 0);
    if (m < 2) continue;
    items++;
    ratings += m;
    let agree = 0;
    row.forEach((n, j) => {
      totals[j] += n;
      agree += n * (n - 1);
    });
    agreementSum += agree / (m * (m - 1));
  }
  const p = totals.map((t) => (ratings > 0 ? t / ratings : 0));
  const observed = items > 0 ? agreementSum / items : NaN;
  const expected = p.reduce((a, pj) => a + pj * pj, 0);
  const perCategory = p.map((pj, j) => {
    let disagreement = 0;
    for (const row of counts) {
      const m = row.reduce((a, b) => a + b, 0);
      if (m < 2) continue;
      disagreement += (row[j] * (m - row[j])) / (m - 1);
    }
    const denominator = ratings * pj * (1 - pj);
    return denominator > 0 ? 1 - disagreement / denominator : NaN;
  });
  return {
    kappa: (observed - expected) / (1 - expected),
    perCategory,
    items,
    ratings,
    observedAgreement: observed,
    expectedAgreement: expected,
  };
}
