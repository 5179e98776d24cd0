import { mulberry32 } from '../../drift/stats/seeded-random';
import { binomial } from './ab-simulation';

/** Exact binomial pmf by the product formula, independent of the sampler's recursion. */
function pmf(n: number, p: number, k: number): number {
  let logChoose = 0;
  for (let i = 1; i <= k; i++) logChoose += Math.log(n - k + i) - Math.log(i);
  return Math.exp(logChoose + k * Math.log(p) + (n - k) * Math.log(1 - p));
}

describe('binomial (the simulations rest on it)', () => {
  it.each([
    [10, 0.5],
    [90, 0.95],
    [100, 0.13],
    [50, 0.9599],
  ])('Binomial(%d, %d): 50,000 draws within 0.015 total variation of the exact pmf', (n, p) => {
    const random = mulberry32(n);
    const counts = new Array<number>(n + 1).fill(0);
    const draws = 50_000;
    for (let i = 0; i < draws; i++) counts[binomial(random, n, p)]++;
    let distance = 0;
    for (let k = 0; k <= n; k++) distance += Math.abs(counts[k] / draws - pmf(n, p, k)) / 2;
    expect(distance).toBeLessThan(0.015);
  });

  it('handles the edges', () => {
    const random = mulberry32(1);
    expect(binomial(random, 0, 0.9)).toBe(0);
    expect(binomial(random, 20, 1)).toBe(20);
    expect(binomial(random, 20, 0)).toBe(0);
  });
});
