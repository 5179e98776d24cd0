import { applyRetrainingRule } from './retraining-rule';

const settings = { maxDropPp: 0.5, minLabels: 100, level: 0.95 };

describe('applyRetrainingRule', () => {
  it('triggers on a drop beyond the threshold with enough labels', () => {
    const outcome = applyRetrainingRule({ correct: 519, n: 599 }, { correct: 575, n: 599 }, settings);
    expect(outcome.triggered).toBe(true);
    expect(outcome.dropPp).toBeCloseTo(((575 - 519) / 599) * 100, 10);
    // statsmodels newcomb for (575/599 - 519/599), times 100
    expect(outcome.dropInterval.lower).toBeCloseTo(6.2238014436672, 8);
    expect(outcome.dropInterval.upper).toBeCloseTo(12.580765609612815, 8);
  });

  it('does not trigger within the threshold, nor on an improvement', () => {
    expect(applyRetrainingRule({ correct: 573, n: 599 }, { correct: 575, n: 599 }, settings).triggered).toBe(false);
    expect(applyRetrainingRule({ correct: 590, n: 599 }, { correct: 575, n: 599 }, settings).triggered).toBe(false);
  });

  it('does not trigger on too few labels, however large the drop', () => {
    const outcome = applyRetrainingRule({ correct: 10, n: 50 }, { correct: 575, n: 599 }, settings);
    expect(outcome.triggered).toBe(false);
    expect(outcome.reason).toMatch(/only 50 labels/);
  });
});
