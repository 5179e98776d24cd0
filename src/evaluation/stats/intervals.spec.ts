import { newcombeDifference, wilsonInterval } from './intervals';
import { normalQuantile } from './normal-quantile';

/*
 * Golden values from statsmodels, computed independently by scripts/golden/evaluation_golden.py:
 * proportion_confint(count, n, alpha, method='wilson') and
 * confint_proportions_2indep(c1, n1, c2, n2, method='newcomb', compare='diff', alpha).
 */
// statsmodels 0.13.5+dfsg, z(0.975) = 1.9599639845400545
const wilson: number[][] = [
  [0, 10, 0.95, 0.0, 0.27753279986288926],
  [10, 10, 0.95, 0.7224672001371106, 1.0],
  [1, 1, 0.95, 0.2065493143772374, 1.0],
  [0, 1, 0.95, 0.0, 0.7934506856227627],
  [575, 599, 0.95, 0.9410752120646456, 0.9729296094980441],
  [519, 599, 0.95, 0.8368538750623256, 0.8913641225166593],
  [7, 20, 0.95, 0.18119182410108203, 0.5671457233147638],
  [50, 100, 0.95, 0.4038315303659956, 0.5961684696340044],
  [999, 1000, 0.95, 0.9943574414020421, 0.9998234536293739],
  [3, 2000, 0.95, 0.0005102635836384819, 0.004401032555770695],
  [0, 10, 0.9, 0.0, 0.2129419700834071],
  [10, 10, 0.9, 0.7870580299165928, 1.0],
  [1, 1, 0.9, 0.269865948784054, 1.0],
  [0, 1, 0.9, 0.0, 0.730134051215946],
  [575, 599, 0.9, 0.944552860170601, 0.9711774434542919],
  [519, 599, 0.9, 0.8419263201673737, 0.8876664262778677],
  [7, 20, 0.9, 0.202260040056761, 0.5334873111515284],
  [50, 100, 0.9, 0.4188477961125295, 0.5811522038874706],
  [999, 1000, 0.9, 0.9955302770906311, 0.9997768761560879],
  [3, 2000, 0.9, 0.0005996268347863687, 0.0037472645405082932],
];
const newcombe: number[][] = [
  [575, 599, 519, 599, 0.95, 0.062238014436672, 0.12580765609612815],
  [575, 599, 557, 599, 0.95, 0.004099550624082068, 0.05673461420940487],
  [0, 10, 10, 10, 0.95, -1.0, -0.6075093504305241],
  [10, 10, 0, 10, 0.95, 0.6075093504305241, 1.0],
  [10, 10, 10, 10, 0.95, -0.27753279986288937, 0.27753279986288937],
  [0, 5, 0, 7, 0.95, -0.3543304350666875, 0.43448246478317487],
  [45, 50, 460, 500, 0.95, -0.13547317124441216, 0.042687650685390835],
  [960, 1000, 930, 1000, 0.95, 0.0100354828432258, 0.05041525343684264],
  [575, 599, 519, 599, 0.9, 0.06727953602299541, 0.12046233418440352],
  [575, 599, 557, 599, 0.9, 0.008357089868857491, 0.05226921324631441],
  [0, 10, 10, 10, 0.9, -1.0, -0.6988545779095998],
  [10, 10, 0, 10, 0.9, 0.6988545779095998, 1.0],
  [10, 10, 10, 10, 0.9, -0.2129419700834072, 0.2129419700834072],
  [0, 5, 0, 7, 0.9, -0.27876269545254223, 0.3511165007651014],
  [45, 50, 460, 500, 0.9, -0.1132464107172776, 0.03517431492118097],
  [960, 1000, 930, 1000, 0.9, 0.013278015395330696, 0.04704284250965673],
];

describe('wilsonInterval', () => {
  it.each(wilson)('%d of %d at %d matches statsmodels', (count, n, level, lower, upper) => {
    const interval = wilsonInterval(count, n, level);
    expect(Math.abs(interval.lower - lower)).toBeLessThan(1e-9);
    expect(Math.abs(interval.upper - upper)).toBeLessThan(1e-9);
  });

  it('keeps its bounds inside [0, 1] at 0 and n successes (30/30 gave an upper 1.0000000000000002)', () => {
    expect(wilsonInterval(30, 30).upper).toBe(1);
    for (const level of [0.9, 0.95, 0.99]) {
      for (let n = 1; n <= 2000; n++) {
        expect(wilsonInterval(n, n, level).upper).toBeLessThanOrEqual(1);
        expect(wilsonInterval(0, n, level).lower).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('refuses impossible counts', () => {
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(0, 0)).toThrow(RangeError);
  });
});

describe('newcombeDifference', () => {
  it.each(newcombe)('%d/%d - %d/%d at %d matches statsmodels', (c1, n1, c2, n2, level, lower, upper) => {
    const interval = newcombeDifference(c1, n1, c2, n2, level);
    expect(interval.difference).toBeCloseTo(c1 / n1 - c2 / n2, 12);
    expect(Math.abs(interval.lower - lower)).toBeLessThan(1e-9);
    expect(Math.abs(interval.upper - upper)).toBeLessThan(1e-9);
  });
});

describe('normalQuantile', () => {
  it('matches scipy norm.isf(0.025) and is symmetric', () => {
    expect(Math.abs(normalQuantile(0.975) - 1.9599639845400545)).toBeLessThan(1e-14);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(1e-10)).toBeCloseTo(-normalQuantile(1 - 1e-10), 6);
  });
});
