import { ruleRates } from './ab-simulation';
import { mixtureConfidenceSequence } from './confidence-sequence';
import { decide } from './decision-rule';

describe('decide', () => {
  it('waits for the minimum samples in both arms', () => {
    const outcome = decide({
      champion: { correct: 10, n: 99 },
      challenger: { correct: 99, n: 100 },
      level: 0.95,
      minSamples: 100,
      margin: 0,
    });
    expect(outcome).toEqual({ verdict: 'continue', reason: 'min_samples', interval: null });
  });

  it('promotes only above the margin, stops below zero', () => {
    const base = { level: 0.95, minSamples: 10, margin: 0 };
    const better = decide({ ...base, champion: { correct: 800, n: 1000 }, challenger: { correct: 950, n: 1000 } });
    expect(better.verdict).toBe('challenger_better');
    const strict = { ...base, margin: 0.2 };
    expect(
      decide({ ...strict, champion: { correct: 800, n: 1000 }, challenger: { correct: 950, n: 1000 } }).verdict,
    ).toBe('continue');
    const worse = decide({ ...base, champion: { correct: 950, n: 1000 }, challenger: { correct: 800, n: 1000 } });
    expect(worse.verdict).toBe('champion_holds');
  });

  it('the always-valid interval is wider than the fixed-n interval and shrinks with n', () => {
    const small = mixtureConfidenceSequence({ correct: 90, n: 100 }, { correct: 95, n: 100 }, 0.95);
    const large = mixtureConfidenceSequence({ correct: 9000, n: 10000 }, { correct: 9500, n: 10000 }, 0.95);
    expect(small.difference).toBeCloseTo(0.05, 12);
    expect(small.upper - small.lower).toBeGreaterThan(large.upper - large.lower);
    // Fixed-n Wald half-width at n=10000 is 1.96·sqrt(V) ≈ 0.0073; the sequence pays for peeking.
    expect((large.upper - large.lower) / 2).toBeGreaterThan(0.0073);
  });

  /*
   * The real rule (level 0.95, minSamples 100, margin 0) looked at after every 100 labels; at 50 %
   * the arms alternate. 2,000 seeded runs per scenario; the README quotes these runs.
   */
  it.each([
    { pAccuracy: 0.85, share: 0.5, labelsPerArm: 10_000 },
    { pAccuracy: 0.9599, share: 0.5, labelsPerArm: 10_000 },
    { pAccuracy: 0.9599, share: 0.1, labelsPerArm: 5_000 },
  ])(
    'A/A at $pAccuracy, share $share: false promotions in at most 5 % of runs',
    ({ pAccuracy, share, labelsPerArm }) => {
      const { promoted } = ruleRates({ pChampion: pAccuracy, pChallenger: pAccuracy, share, labelsPerArm }, 2000, 7);
      expect(promoted).toBeLessThanOrEqual(0.05);
    },
  );

  it.each([
    { pChampion: 0.85, pChallenger: 0.9 },
    { pChampion: 0.91, pChallenger: 0.96 },
  ])('5 pp ($pChampion → $pChallenger): promoted in at least 95 % of runs within 5,000 labels an arm', (arms) => {
    const { promoted, medianLabelsPerArm } = ruleRates({ ...arms, share: 0.5, labelsPerArm: 5000 }, 2000, 11);
    expect(promoted).toBeGreaterThanOrEqual(0.95);
    expect(medianLabelsPerArm).toBeLessThanOrEqual(2000);
  });

  it.each([
    { pChampion: 0.85, pChallenger: 0.87 },
    { pChampion: 0.94, pChallenger: 0.96 },
  ])('2 pp ($pChampion → $pChallenger): promoted in at least 35 % of runs within 5,000 labels an arm', (arms) => {
    const { promoted, held } = ruleRates({ ...arms, share: 0.5, labelsPerArm: 5000 }, 2000, 13);
    expect(promoted).toBeGreaterThanOrEqual(0.35);
    expect(held).toBeLessThanOrEqual(0.01);
  });

  it('digits cnn (95.99%) vs weak (86.64%): the better model wins in at least 95% of runs', () => {
    const scenario = { share: 0.5, labelsPerArm: 10_000 };
    const better = ruleRates({ ...scenario, pChampion: 0.8664, pChallenger: 0.9599 }, 1000, 17);
    const worse = ruleRates({ ...scenario, pChampion: 0.9599, pChallenger: 0.8664 }, 1000, 19);
    expect(better.promoted).toBeGreaterThanOrEqual(0.95);
    expect(worse.held).toBeGreaterThanOrEqual(0.95);
  });
});
