import { analyse } from './experiment-analysis';
import { ExperimentEntity } from './experiment.entity';

const experiment = {
  id: '00000000-0000-4000-8000-000000000001',
  key: 'digits-x',
  modelName: 'digits',
  championVersionId: '00000000-0000-4000-8000-000000000002',
  challengerVersionId: '00000000-0000-4000-8000-000000000003',
  mode: 'split',
  trafficShare: 50,
  confidenceLevel: 0.95,
  minSamples: 100,
  margin: 0,
  status: 'running',
} as ExperimentEntity;

const accuracy = [
  { arm: 'control', n: 900, correct: 780 },
  { arm: 'treatment', n: 900, correct: 864 },
];
const traffic = (control: number, treatment: number, treatmentP95 = 5) => [
  { arm: 'control', units: control, predictions: control, p95LatencyMs: 5 },
  { arm: 'treatment', units: treatment, predictions: treatment, p95LatencyMs: treatmentP95 },
];

describe('analyse', () => {
  it('promotes a clearly better challenger and reports Newcombe and counts', () => {
    const result = analyse({
      experiment,
      accuracy,
      traffic: traffic(900, 900),
      maxLatencyRatio: 2,
      errors: [],
      maxErrorRateIncrease: 0.01,
    });
    expect(result.verdict).toBe('challenger_better');
    expect(result.counts).toEqual({ championN: 900, championCorrect: 780, challengerN: 900, challengerCorrect: 864 });
    expect(result.checks.newcombe).toMatchObject({ difference: expect.closeTo(84 / 900, 12) });
    expect(result.checks.mcnemar).toBeNull();
  });

  it('holds the decision on a sample-ratio mismatch', () => {
    expect(
      analyse({
        experiment,
        accuracy,
        traffic: traffic(1000, 800),
        maxLatencyRatio: 2,
        errors: [],
        maxErrorRateIncrease: 0.01,
      }).verdict,
    ).toBe('held_srm');
  });

  it('holds a promotion when the challenger is too slow', () => {
    const result = analyse({
      experiment,
      accuracy,
      traffic: traffic(900, 900, 11),
      maxLatencyRatio: 2,
      errors: [],
      maxErrorRateIncrease: 0.01,
    });
    expect(result.verdict).toBe('held_guardrail');
  });

  it('pairs shadow predictions and reports McNemar', () => {
    const paired = { n: 600, championCorrect: 575, challengerCorrect: 519, championOnly: 70, challengerOnly: 14 };
    const shadow = { ...experiment, mode: 'shadow' } as ExperimentEntity;
    const result = analyse({
      experiment: shadow,
      accuracy: paired,
      traffic: [],
      maxLatencyRatio: 2,
      errors: [],
      maxErrorRateIncrease: 0.01,
    });
    expect(result.verdict).toBe('champion_holds');
    expect(result.checks.srm).toBeNull();
    expect(result.checks.mcnemar).toMatchObject({ championOnly: 70, challengerOnly: 14, exact: false });
  });
});

describe('analyse: error-rate guardrail', () => {
  const run = (errors: Array<{ arm: string; errors: number }>) =>
    analyse({
      experiment,
      accuracy,
      traffic: traffic(900, 900),
      errors,
      maxLatencyRatio: 2,
      maxErrorRateIncrease: 0.01,
    });

  it('holds a promotion when the challenger fails too often, naming the guard', () => {
    const result = run([{ arm: 'treatment', errors: 100 }]);
    expect(result.verdict).toBe('held_guardrail');
    expect(result.checks.heldBy).toEqual(['error_rate']);
    expect(result.checks.errorRate).toMatchObject({ challengerErrors: 100, challengerRequests: 1000, ok: false });
  });

  it('promotes when both arms fail alike', () => {
    const result = run([
      { arm: 'control', errors: 20 },
      { arm: 'treatment', errors: 20 },
    ]);
    expect(result.verdict).toBe('challenger_better');
    expect(result.checks.heldBy).toEqual([]);
  });
});
