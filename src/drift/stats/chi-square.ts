import { logGamma } from './log-gamma';

/**
 * Chi-square tail probabilities through the regularized upper incomplete gamma function
 * Q(a, x) = Gamma(a, x) / Gamma(a), computed in log space so p-values down to ~1e-300 (and their
 * logarithms far below) keep full relative precision. simple-statistics only has a critical-value
 * table for chi-square (chiSquaredDistributionTable), not enough for p-values.
 */

const EPSILON = 1e-16;
const TINY = 1e-300;
const MAX_ITERATIONS = 100_000;

// ln(e^-x x^a / Gamma(a)), the prefactor shared by the series and the continued fraction.
function logPrefactor(a: number, x: number): number {
  return -x + a * Math.log(x) - logGamma(a);
}

// Lower-tail series P(a,x) = prefactor * sum_n x^n / (a (a+1) ... (a+n)); converges fast for x < a+1.
function lowerSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < MAX_ITERATIONS; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPSILON) return Math.exp(logPrefactor(a, x) + Math.log(sum));
  }
  throw new RangeError(`incomplete gamma series did not converge for a=${a}, x=${x}`);
}

// ln Q(a,x) from the Legendre continued fraction (modified Lentz); stable for x >= a+1.
function logUpperContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) return logPrefactor(a, x) + Math.log(h);
  }
  throw new RangeError(`incomplete gamma continued fraction did not converge for a=${a}, x=${x}`);
}

/** ln Q(a, x) for a > 0, x >= 0. */
export function logRegularizedUpperGamma(a: number, x: number): number {
  if (!(a > 0) || !Number.isFinite(a)) throw new RangeError(`shape a must be positive and finite, got ${a}`);
  if (!(x >= 0)) throw new RangeError(`x must be non-negative, got ${x}`);
  if (x === 0) return 0;
  if (x === Infinity) return -Infinity;
  if (x < a + 1) return Math.log1p(-lowerSeries(a, x));
  return logUpperContinuedFraction(a, x);
}

export function regularizedUpperGamma(a: number, x: number): number {
  return Math.exp(logRegularizedUpperGamma(a, x));
}

function validateDegreesOfFreedom(df: number): void {
  if (!(df > 0) || !Number.isFinite(df)) throw new RangeError(`degrees of freedom must be positive, got ${df}`);
}

/** ln P(X > x) for X ~ chi-square(df). */
export function chiSquareLogSf(x: number, df: number): number {
  validateDegreesOfFreedom(df);
  if (Number.isNaN(x)) throw new RangeError('chi-square statistic is NaN');
  return x <= 0 ? 0 : logRegularizedUpperGamma(df / 2, x / 2);
}

/** P(X > x) for X ~ chi-square(df); underflows to 0 only below ~1e-308. */
export function chiSquareSf(x: number, df: number): number {
  return Math.exp(chiSquareLogSf(x, df));
}

/** The x with P(X > x) = upperTail, by bisection on the log survival function. */
export function chiSquareUpperQuantile(upperTail: number, df: number): number {
  validateDegreesOfFreedom(df);
  if (!(upperTail > 0 && upperTail < 1)) throw new RangeError(`upperTail must be in (0, 1), got ${upperTail}`);
  const target = Math.log(upperTail);
  let lo = 0;
  let hi = df + 10 * Math.sqrt(2 * df) + 10;
  while (chiSquareLogSf(hi, df) > target) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (chiSquareLogSf(mid, df) > target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
