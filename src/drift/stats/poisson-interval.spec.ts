import { poissonMeanInterval } from './poisson-interval';

// scripts/golden/drift_golden.py (print_garwood): [chi2.ppf(0.025, 2x) / 2, chi2.ppf(0.975, 2x + 2) / 2]
const GARWOOD_GOLDEN: Array<[number, number, number]> = [
  [0, 0.0, 3.6888794541139354],
  [1, 0.025317807984289876, 5.571643390938898],
  [5, 1.6234863901184207, 11.66833207932267],
  [83, 66.10903669780309, 102.89098779726608],
  [1000, 938.9730184076952, 1063.952136016302],
];

describe('poissonMeanInterval (Garwood)', () => {
  it.each(GARWOOD_GOLDEN)('%i events: [%f, %f]', (events, lower, upper) => {
    const [lo, hi] = poissonMeanInterval(events);
    expect(lo).toBeCloseTo(lower, 9);
    expect(hi / upper).toBeCloseTo(1, 10);
  });

  it('rejects a non-count and a level outside (0, 1)', () => {
    expect(() => poissonMeanInterval(1.5)).toThrow(/count/);
    expect(() => poissonMeanInterval(1, 1)).toThrow(/level/);
  });
});
