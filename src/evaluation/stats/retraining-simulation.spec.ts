import { detectionDelay, falseTriggerRate, pointEstimateRule, Scenario, yearlyChance } from './retraining-simulation';

// Seeded Monte Carlo of the retraining rule (exact binomial draws). Sizes are kept small for CI;
// `npm run sim:retraining` prints the README's table with 10x the runs.
const settings = { maxDropPp: 0.5, minLabels: 500, level: 0.95, decisionLimit: 6 };
const at = (labelsPerWeek: number, accuracy = 0.85): Scenario => ({ accuracy, labelsPerWeek, settings });

describe('the rule before issue 18 (point estimate against one baseline week)', () => {
  // Issue 18's table: two independent weeks at accuracy 0.85, 20,000 pairs each.
  it.each([
    [200, 0.467, 0.026],
    [1_000, 0.396, 0.025],
    [3_000, 0.304, 0.025],
    [10_000, 0.158, 0.025],
  ])('%i labels a week: fires on %d of no-change weeks (%d if also significant)', (labels, fires, significant) => {
    const rate = pointEstimateRule(labels, at(labels), 0, 20_000);
    expect(rate.fires).toBeCloseTo(fires, 1.5);
    expect(rate.significant).toBeCloseTo(significant, 1.5);
    // Even a 2.5% weekly rate fires in most years.
    expect(yearlyChance(significant)).toBeGreaterThan(0.7);
  });
});

describe('the self-starting CUSUM rule', () => {
  it('at 1,000 labels a week and no change: under 1 false trigger per 20 model-years', () => {
    const rate = falseTriggerRate(1_000, at(1_000), 150, 10);
    expect(rate.modelYears).toBeGreaterThan(1_400);
    // Measured with 10x the runs: 0.026 per model-year.
    expect(rate.perModelYear).toBeLessThan(1 / 20);
  });

  // The z test needs ~10 expected errors per observation: at accuracy 0.99 and 500 labels the rate is
  // 0.044-0.052 (README), hence the advice to raise EVAL_MIN_LABELS for very accurate models.
  it.each([
    [200, 0.95],
    [1_000, 0.99],
  ])('at %i labels a week and accuracy %d: still under 1 per 20 model-years', (labels, accuracy) => {
    expect(falseTriggerRate(labels, at(labels, accuracy), 100, 10).perModelYear).toBeLessThan(1 / 20);
  });

  it('catches a 2-point drop at 1,000 labels a week within weeks, a 5-point drop in one or two', () => {
    const two = detectionDelay(2, at(1_000), 2, 150);
    expect(two.caught).toBeGreaterThan(0.95);
    expect(two.median).toBeLessThanOrEqual(7);
    const five = detectionDelay(5, at(1_000), 5, 150);
    expect(five.caught).toBe(1);
    expect(five.median).toBe(1);
    expect(five.p90).toBeLessThanOrEqual(2);
  });

  it('is far quieter than the old rule on the same no-change weeks', () => {
    const old = yearlyChance(pointEstimateRule(7, at(1_000), 0, 5_000).fires);
    const cusum = falseTriggerRate(7, at(1_000), 50, 10).perModelYear;
    expect(old).toBeGreaterThan(0.99);
    expect(cusum).toBeLessThan(old / 10);
  });
});
