import { everExcludedRate } from './ab-simulation';
import { mixtureConfidenceSequence } from './confidence-sequence';

/*
 * Golden values from scripts/golden/experiments_golden.py (scipy 1.10.1): the mixture likelihood
 * ratio of Johari, Pekelis and Walsh (2017) integrated numerically, its 1/α crossings found by
 * Brent's method, with V the sum of per-arm variances at (correct + 2)/(n + 4).
 * [championCorrect, championN, challengerCorrect, challengerN, level, τ², difference, lower, upper]
 */
const golden: number[][] = [
  [90, 100, 95, 100, 0.95, 0.0025, 0.04999999999999993, -0.08752851429173215, 0.187528514291732],
  [9000, 10000, 9500, 10000, 0.95, 0.0025, 0.04999999999999993, 0.03754425570556925, 0.06245574429443062],
  [850, 1000, 870, 1000, 0.95, 0.0025, 0.020000000000000018, -0.02733506422374814, 0.06733506422374817],
  [4050, 4500, 470, 500, 0.95, 0.0025, 0.039999999999999925, 0.0037935962795182083, 0.07620640372048164],
  [427, 500, 3980, 4500, 0.95, 0.0025, 0.030444444444444496, -0.019999284307734788, 0.08088817319662378],
  [2660, 2800, 1152, 1200, 0.9, 0.0025, 0.010000000000000009, -0.010930028812307136, 0.03093002881230715],
  [2660, 2800, 1152, 1200, 0.99, 0.0025, 0.010000000000000009, -0.01597227849163503, 0.03597227849163505],
  [860, 1000, 900, 1000, 0.95, 0.01, 0.040000000000000036, -0.006287174024296337, 0.0862871740242964],
  [860, 1000, 900, 1000, 0.95, 0.0004, 0.040000000000000036, -0.007924692783708057, 0.08792469278370812],
  [100, 100, 95, 100, 0.95, 0.0025, -0.050000000000000044, -0.13947998498083874, 0.039479984980838656],
  [0, 120, 3, 300, 0.95, 0.0025, 0.01, -0.03162174326287916, 0.05162174326287916],
  [575, 599, 519, 599, 0.95, 0.0025, -0.09348914858096835, -0.14292219945670237, -0.04405609770523434],
];

describe('mixtureConfidenceSequence', () => {
  it.each(golden)('%d/%d vs %d/%d at %d, τ² %d matches the integrated mixture', (...row) => {
    const [c1, n1, c2, n2, level, tau2, difference, lower, upper] = row;
    const interval = mixtureConfidenceSequence({ correct: c1, n: n1 }, { correct: c2, n: n2 }, level, tau2);
    expect(Math.abs(interval.difference - difference)).toBeLessThan(1e-12);
    expect(Math.abs(interval.lower - lower)).toBeLessThan(1e-9);
    expect(Math.abs(interval.upper - upper)).toBeLessThan(1e-9);
  });

  it('refuses an arm without labels', () => {
    expect(() => mixtureConfidenceSequence({ correct: 0, n: 0 }, { correct: 1, n: 1 }, 0.95)).toThrow(RangeError);
  });

  /*
   * Coverage: the chance that the 95 % sequence EVER excludes the true difference, looked at after
   * every 100 labels from 100 labels in the smaller arm until it has 5,000 (10/90: 50,000 labels,
   * 490 looks); 2,000 runs each. Mirror images (90/10, 70/30) are the same runs with the arms swapped.
   */
  const coverage = [0.1, 0.3, 0.5].flatMap((share) =>
    [
      [0.85, 0.87],
      [0.87, 0.85],
      [0.95, 0.96],
      [0.96, 0.95],
    ].map(([pChampion, pChallenger]) => ({ share, pChampion, pChallenger })),
  );
  it.each(coverage)(
    'share $share, champion $pChampion, challenger $pChallenger: ever excludes the truth in ≤ 5 % of runs',
    ({ share, pChampion, pChallenger }) => {
      const seed = Math.round(share * 1000 + pChampion * 100 + pChallenger * 10);
      const rate = everExcludedRate({ pChampion, pChallenger, share, labelsPerArm: 5000 }, 2000, seed);
      expect(rate).toBeLessThanOrEqual(0.05);
    },
  );
});
