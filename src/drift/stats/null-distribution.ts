import { chiSquareSf } from './chi-square';
import { total, validateCountPair } from './counts';

/**
 * What KL looks like when nothing drifted. With p the common distribution and n_r, n_c the window
 * sizes, KL(P_cur || P_ref) ~= X2 / 2 * (1/n_r + 1/n_c) where X2 is the homogeneity statistic,
 * approximately chi-square(k-1). Hence the DESIGN's mean (k-1)/2 (1/n_r + 1/n_c) and an SD of
 * sqrt(2(k-1))/2 (1/n_r + 1/n_c).
 */
function validateNullArgs(k: number, nReference: number, nCurrent: number): void {
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`bin count k must be an integer >= 2, got ${k}`);
  if (!(nReference > 0) || !(nCurrent > 0)) {
    throw new RangeError(`sample sizes must be positive, got nReference=${nReference}, nCurrent=${nCurrent}`);
  }
}

export function expectedNullKl(k: number, nReference: number, nCurrent: number): number {
  validateNullArgs(k, nReference, nCurrent);
  return ((k - 1) / 2) * (1 / nReference + 1 / nCurrent);
}

export function nullKlStandardDeviation(k: number, nReference: number, nCurrent: number): number {
  validateNullArgs(k, nReference, nCurrent);
  return (Math.sqrt(2 * (k - 1)) / 2) * (1 / nReference + 1 / nCurrent);
}

export interface HomogeneityTest {
  statistic: number;
  degreesOfFreedom: number;
  pValue: number;
}

/**
 * Pearson chi-square test of homogeneity on the 2 x k table [current; reference], no continuity
 * correction, bins empty in both windows dropped (they carry no information and would have zero
 * expected counts). Pearson rather than the G-test: G = 2 * sum O ln(O/E) is the KL-flavoured
 * statistic, but its chi-square approximation drifts away from the nominal level when expected
 * counts are small (rare classes, tail bins), exactly where drift windows live; Pearson's X2 holds
 * its level much better there (Larntz 1978), and scipy's chi2_contingency gives golden values.
 */
export function homogeneityTest(current: readonly number[], reference: readonly number[]): HomogeneityTest {
  validateCountPair(current, reference);
  const nCurrent = total(current);
  const nReference = total(reference);
  if (nCurrent <= 0 || nReference <= 0) {
    throw new RangeError('homogeneity test needs at least one observation in each window');
  }
  const n = nCurrent + nReference;
  let statistic = 0;
  let columns = 0;
  for (let i = 0; i < current.length; i++) {
    const column = current[i] + reference[i];
    if (column === 0) continue;
    columns++;
    const expectedCurrent = (nCurrent * column) / n;
    const expectedReference = (nReference * column) / n;
    statistic += (current[i] - expectedCurrent) ** 2 / expectedCurrent;
    statistic += (reference[i] - expectedReference) ** 2 / expectedReference;
  }
  const degreesOfFreedom = columns - 1;
  // One occupied bin on both sides: the windows are indistinguishable.
  if (degreesOfFreedom === 0) return { statistic: 0, degreesOfFreedom, pValue: 1 };
  return { statistic, degreesOfFreedom, pValue: chiSquareSf(statistic, degreesOfFreedom) };
}
