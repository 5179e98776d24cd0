import { chiSquareLogSf } from './chi-square';

/**
 * Null distribution of n * KL for a signal binned at its reference's own quantiles (b interior
 * bins plus an underflow and an overflow bin that the reference leaves empty by construction),
 * with equal windows of n images (the worst case for a given window size).
 *
 * Why not chi-square(k-1): the true mass of an outer bin is the reference's extreme spacing,
 * ~Exp(1)/n, so the current window puts a Geometric(1/2) count C there (Poisson with an Exp(1)
 * mean), against a smoothed reference of a/(n+ka). As n grows,
 *   n * KL -> X + g(C_under) + g(C_over),  X ~ chi-square(b-1),  g(c) = (c+a) ln((c+a)/a) - c,
 * (-c: the mass the outer bins take from the interior). The tail is much heavier than
 * chi-square(k-1): P(n KL > 37.4) = 1.1e-3 for k = 12, not 1e-4. Seeded simulations at n = 100 to
 * 3,000 stay at or below this limit (README, quantile-signal-null.spec.ts).
 */

// Terms beyond C_under + C_over > this carry 42 / 2^42 ~ 1e-11 of the mass in all.
const MAX_OUTER_COUNT = 40;

function outerContribution(c: number, pseudocount: number): number {
  return (c + pseudocount) * Math.log((c + pseudocount) / pseudocount) - c;
}

function validateBinCount(binCount: number): void {
  if (!Number.isInteger(binCount) || binCount < 3) {
    throw new RangeError(`a quantile-binned signal has at least 3 bins (1 interior + 2 outer), got ${binCount}`);
  }
}

/** P(n KL > x) in the limit above, for a quantile-binned signal with `binCount` bins in all. */
export function quantileSignalNullSf(x: number, binCount: number, pseudocount: number): number {
  validateBinCount(binCount);
  if (!(pseudocount > 0)) throw new RangeError(`pseudocount must be positive, got ${pseudocount}`);
  const interiorDf = binCount - 3;
  const g = Array.from({ length: MAX_OUTER_COUNT + 1 }, (_, c) => outerContribution(c, pseudocount));
  let sf = 0;
  for (let under = 0; under <= MAX_OUTER_COUNT; under++) {
    for (let over = 0; under + over <= MAX_OUTER_COUNT; over++) {
      const rest = x - g[under] - g[over];
      const tail = interiorDf === 0 ? (rest < 0 ? 1 : 0) : Math.exp(chiSquareLogSf(rest, interiorDf));
      sf += tail * 2 ** -(under + over + 2);
    }
  }
  return Math.min(1, sf);
}

/** The x with quantileSignalNullSf(x) = upperTail, by bisection (the sf is monotone). */
export function quantileSignalNullQuantile(upperTail: number, binCount: number, pseudocount: number): number {
  if (!(upperTail > 1e-9 && upperTail < 1)) throw new RangeError(`upperTail must be in (1e-9, 1), got ${upperTail}`);
  let lo = 0;
  let hi = 2 * binCount + 50;
  while (quantileSignalNullSf(hi, binCount, pseudocount) > upperTail) hi *= 2;
  for (let i = 0; i < 100 && hi - lo > 1e-9 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (quantileSignalNullSf(mid, binCount, pseudocount) > upperTail) lo = mid;
    else hi = mid;
  }
  return hi;
}
