/**
 * Complementary error function to double precision: power series below 2.5, Lentz continued
 * fraction above (both converge fast there), so chi-square p-values match scipy's.
 */
export function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  if (x < 2.5) return 1 - erfSeries(x);
  return erfcContinuedFraction(x);
}

function erfSeries(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    const add = term / (2 * n + 1);
    sum += add;
    if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

/** erfc(x) = exp(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))). */
function erfcContinuedFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

/** Survival function of the chi-square distribution with one degree of freedom. */
export function chiSquare1Sf(statistic: number): number {
  if (!(statistic >= 0)) throw new RangeError(`chi-square statistic must be >= 0, got ${statistic}`);
  return erfc(Math.sqrt(statistic / 2));
}

/** Binomial(n, 1/2) two-sided exact p-value, min(1, 2·P(X <= k)), as statsmodels' exact McNemar. */
export function binomialTwoSidedHalf(k: number, n: number): number {
  const low = Math.min(k, n - k);
  let logTerm = -n * Math.LN2; // log C(n,0) / 2^n
  let cdf = Math.exp(logTerm);
  for (let i = 1; i <= low; i++) {
    logTerm += Math.log((n - i + 1) / i);
    cdf += Math.exp(logTerm);
  }
  return Math.min(1, 2 * cdf);
}
