import { smoothedDistribution, validateCountPair, validatePseudocount } from './counts';
import { DEFAULT_PSEUDOCOUNT } from './defaults';

/**
 * Divergences between two histograms over the same bins, in nats.
 * Both sides get `pseudocount` added per bin and are renormalised (DESIGN: "0.5 per bin on both
 * sides"), so an empty bin never makes the result infinite unless pseudocount is 0.
 */

function smoothedPair(
  current: readonly number[],
  reference: readonly number[],
  pseudocount: number,
): [number[], number[]] {
  validateCountPair(current, reference);
  validatePseudocount(pseudocount);
  return [smoothedDistribution(current, pseudocount), smoothedDistribution(reference, pseudocount)];
}

/** sum p ln(p/q) over probability vectors; a 0 * ln(0/q) term counts as 0. */
function klOfDistributions(p: readonly number[], q: readonly number[]): number {
  let kl = 0;
  for (let i = 0; i < p.length; i++) {
    if (p[i] > 0) kl += p[i] * Math.log(p[i] / q[i]);
  }
  // Rounding can give -1e-17 for identical inputs; KL is never negative.
  return Math.max(0, kl);
}

/** D_KL(P_current || P_reference): the DESIGN's reported drift value. */
export function klDivergence(
  current: readonly number[],
  reference: readonly number[],
  pseudocount = DEFAULT_PSEUDOCOUNT,
): number {
  const [p, q] = smoothedPair(current, reference, pseudocount);
  return klOfDistributions(p, q);
}

/** Population stability index: sum (p - q) ln(p/q) = KL(P||Q) + KL(Q||P). */
export function psi(
  current: readonly number[],
  reference: readonly number[],
  pseudocount = DEFAULT_PSEUDOCOUNT,
): number {
  const [p, q] = smoothedPair(current, reference, pseudocount);
  let value = 0;
  for (let i = 0; i < p.length; i++) {
    if (p[i] !== q[i]) value += (p[i] - q[i]) * Math.log(p[i] / q[i]);
  }
  return Math.max(0, value);
}

/** Jensen-Shannon divergence 0.5 KL(P||M) + 0.5 KL(Q||M), M = (P+Q)/2; bounded by ln 2. */
export function jensenShannon(
  current: readonly number[],
  reference: readonly number[],
  pseudocount = DEFAULT_PSEUDOCOUNT,
): number {
  const [p, q] = smoothedPair(current, reference, pseudocount);
  const m = p.map((pi, i) => (pi + q[i]) / 2);
  return 0.5 * klOfDistributions(p, m) + 0.5 * klOfDistributions(q, m);
}
