/**
 * Krippendorff's alpha for nominal data, from per-unit value counts (`counts[u][c]`: how many coders gave unit u the
 * value c). Missing values are simply not counted; units with fewer than two values are not pairable and drop out.
 * Coincidences o_ck = sum_u n_uc n_uk / (m_u - 1) (c != k; n_uc (n_uc - 1) / (m_u - 1) on the diagonal), then
 * alpha = 1 - (n - 1) sum_{c != k} o_ck / sum_{c != k} n_c n_k (Krippendorff, "Computing Krippendorff's
 * Alpha-Reliability", 2011).
 */
export function krippendorffAlphaNominal(counts: readonly (readonly number[])[]): number {
  const K = counts[0]?.length ?? 0;
  const marginals = new Array<number>(K).fill(0);
  let observedDisagreement = 0;
  for (const row of counts) {
    const m = row.reduce((a, b) => a + b, 0);
    if (m < 2) continue;
    // sum over c != k of n_c n_k = m^2 - sum n_c^2
    let squares = 0;
    row.forEach((n, c) => {
      squares += n * n;
      marginals[c] += n;
    });
    observedDisagreement += (m * m - squares) / (m - 1);
  }
  const n = marginals.reduce((a, b) => a + b, 0);
  const expectedPairs = n * n - marginals.reduce((a, b) => a + b * b, 0);
  if (expectedPairs === 0) return NaN;
  return 1 - ((n - 1) * observedDisagreement) / expectedPairs;
}

/** Per-unit counts from a coders x units table of values (null: missing), values 0..categories-1. */
export function unitCounts(table: readonly (readonly (number | null)[])[], categories: number): number[][] {
  const units = table[0]?.length ?? 0;
  const out = Array.from({ length: units }, () => new Array<number>(categories).fill(0));
  for (const coder of table) coder.forEach((v, u) => v !== null && out[u][v]++);
  return out;
}
