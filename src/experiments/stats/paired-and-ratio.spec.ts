import { newcombeDifference } from '../../evaluation/stats';
import { mcnemar, sampleRatioCheck } from './paired-and-ratio';

// Rows printed by scripts/golden/experiments_golden.py (statsmodels 0.13, scipy 1.10).
const MCNEMAR: Array<[number, number, number, number]> = [
  [3, 9, 3.0, 0.14599609375],
  [0, 5, 0.0, 0.0625],
  [10, 10, 10.0, 1.0],
  [12, 1, 1.0, 0.00341796875],
  [40, 22, 4.661290322580645, 0.030849999436874987],
  [13, 87, 53.29, 2.877677276315171e-13],
  [150, 180, 2.5484848484848484, 0.11040008300997554],
];

const SRM: Array<[number, number, number, number, number]> = [
  [500, 500, 0.5, 0.0, 1.0],
  [520, 480, 0.5, 1.6, 0.20590321073206466],
  [5000, 5300, 0.5, 8.737864077669903, 0.003116693839866867],
  [900, 100, 0.1, 0.0, 1.0],
  [880, 120, 0.1, 4.444444444444445, 0.03501498101966245],
  [7000, 3100, 0.3, 2.31023102310231, 0.1285249464969666],
  [5000, 5600, 0.5, 33.9622641509434, 5.61913746484314e-9],
];

const NEWCOMBE: Array<[number, number, number, number, number, number, number]> = [
  [863, 899, 779, 898, 0.95, 0.06703649122500763, 0.11863694472859514],
  [480, 500, 470, 500, 0.99, -0.01660717886565962, 0.05769475368693163],
  [95, 100, 87, 100, 0.9, 0.012878367822578382, 0.14998614085643452],
];

const close = (actual: number, expected: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-12 + 1e-9 * Math.abs(expected));

describe('mcnemar', () => {
  it.each(MCNEMAR)('b=%i c=%i matches statsmodels', (b, c, statistic, pValue) => {
    const result = mcnemar(b, c);
    close(result.statistic, statistic);
    close(result.pValue, pValue);
    expect(result.exact).toBe(b + c < 25);
  });
});

describe('sampleRatioCheck', () => {
  it.each(SRM)('%i / %i at share %d matches scipy chisquare', (a, b, share, statistic, pValue) => {
    const result = sampleRatioCheck(a, b, share);
    close(result.statistic, statistic);
    close(result.pValue, pValue);
    expect(result.mismatch).toBe(pValue < 0.001);
  });
});

describe('newcombeDifference (reused from evaluation) on experiment counts', () => {
  it.each(NEWCOMBE)('%i/%i vs %i/%i matches statsmodels', (c1, n1, c2, n2, level, lower, upper) => {
    const interval = newcombeDifference(c1, n1, c2, n2, level);
    close(interval.lower, lower);
    close(interval.upper, upper);
  });
});
