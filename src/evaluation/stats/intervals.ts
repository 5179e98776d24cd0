import { normalQuantile } from './normal-quantile';

export interface Interval {
  lower: number;
  upper: number;
  level: number;
}

function requireCounts(count: number, n: number): void {
  if (!Number.isInteger(count) || !Number.isInteger(n) || n <= 0 || count < 0 || count > n) {
    throw new RangeError(`need integers 0 <= count <= n, n > 0; got ${count}/${n}`);
  }
}

/** Wilson score interval for a proportion, as statsmodels proportion_confint(method='wilson'). */
export function wilsonInterval(count: number, n: number, level = 0.95): Interval {
  requireCounts(count, n);
  const z = normalQuantile(1 - (1 - level) / 2);
  const z2 = z * z;
  const p = count / n;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  // At count 0 or n the bound is exactly 0 or 1 in theory; rounding gave 1.0000000000000002 at 30/30.
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half), level };
}

/**
 * Newcombe's hybrid score interval (method 10) for p1 - p2, from the two Wilson intervals; as
 * statsmodels confint_proportions_2indep(method='newcomb', compare='diff'). Chosen over Wald
 * because it keeps its coverage near 0 and 1, where accuracies live.
 */
export function newcombeDifference(
  count1: number,
  n1: number,
  count2: number,
  n2: number,
  level = 0.95,
): Interval & { difference: number } {
  const w1 = wilsonInterval(count1, n1, level);
  const w2 = wilsonInterval(count2, n2, level);
  const p1 = count1 / n1;
  const p2 = count2 / n2;
  const difference = p1 - p2;
  const below = Math.sqrt((p1 - w1.lower) ** 2 + (w2.upper - p2) ** 2);
  const above = Math.sqrt((p2 - w2.lower) ** 2 + (w1.upper - p1) ** 2);
  return { difference, lower: difference - below, upper: difference + above, level };
}
