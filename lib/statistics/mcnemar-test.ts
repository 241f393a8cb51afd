/**
 * McNemar's test for two classifiers on the same test items: only the discordant pairs count, b = items the first
 * got right and the second wrong, c = the reverse. Under "both are equally accurate" each discordant item is a fair
 * coin, so the exact test is two-sided binomial(b + c, 1/2); the classic approximation is chi-square with one degree
 * of freedom on (|b - c| - 1)^2 / (b + c) (Edwards' continuity correction).
 */
export interface McNemarResult {
  b: number;
  c: number;
  /** Two-sided exact binomial p-value. */
  exactP: number;
  /** (|b - c| - 1)^2 / (b + c); 0 when there are no discordant pairs. */
  chiSquared: number;
  /** Chi-square (1 df) p-value of the continuity-corrected statistic. */
  correctedP: number;
}

export function mcnemarTest(b: number, c: number): McNemarResult {
  if (!Number.isInteger(b) || !Number.isInteger(c) || b < 0 || c < 0) {
    throw new Error(`McNemar's test needs two counts of discordant items, got ${b} and ${c}`);
  }
  const n = b + c;
  if (n === 0) return { b, c, exactP: 1, chiSquared: 0, correctedP: 1 };
  const k = Math.min(b, c);
  // P(X <= k) for X ~ Binomial(n, 1/2), summed in log space so n in the thousands does not underflow term by term.
  let tail = 0;
  for (let i = 0; i <= k; i++) tail += Math.exp(logChoose(n, i) - n * Math.LN2);
  const exactP = Math.min(1, 2 * tail);
  const chiSquared = Math.max(0, Math.abs(b - c) - 1) ** 2 / n;
  return { b, c, exactP, chiSquared, correctedP: chiSquare1Survival(chiSquared) };
}

/** P(X > x) for chi-square with one degree of freedom: erfc(sqrt(x / 2)). */
export function chiSquare1Survival(x: number): number {
  return x <= 0 ? 1 : erfc(Math.sqrt(x / 2));
}

function logChoose(n: number, k: number): number {
  return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
}

const logFactorials: number[] = [0];
function logFactorial(n: number): number {
  for (let i = logFactorials.length; i <= n; i++) logFactorials[i] = logFactorials[i - 1] + Math.log(i);
  return logFactorials[n];
}

/** Complementary error function (Numerical Recipes' erfcc, relative error below 1.2e-7 everywhere). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
