import { dropZ, RuleDecision, RuleOutcome, RuleState, stepRetrainingRule } from './retraining-rule';

const settings = { maxDropPp: 0.5, minLabels: 500, level: 0.95, decisionLimit: 6 };

// /usr/bin/python3 scripts/golden/retraining_golden.py: statsmodels proportions_ztest and an
// independent Python implementation of the rule. Rows: [correct, n, decision, z, CUSUM, change
// estimate [dropPp, lower, upper] or null].
// statsmodels 0.13.5+dfsg
const zCases = [
  [850, 1000, 820, 1000, 1.8072617084864482],
  [4250, 5000, 830, 1000, 1.60237755565904],
  [575, 599, 519, 599, 5.746337176289654],
  [90, 100, 95, 100, -1.3423121104280473],
  [9000, 10000, 880, 1000, 1.9940629054831045],
];
const sequence: Array<[number, number, RuleDecision, number | null, number, number[] | null]> = [
  [850, 1000, 'baseline', null, 0.0, null],
  [862, 1000, 'no_evidence', -0.7642723006446793, 0.0, [-1.200000000000001, -4.283172097807153, 1.8830371959389838]],
  [
    845,
    1000,
    'evidence_accumulating',
    0.8005732657375473,
    0.3005732657375473,
    [1.100000000000001, -1.5527650036063707, 3.8931059818141227],
  ],
  [300, 400, 'insufficient_labels', null, 0.3005732657375473, null],
  [
    548,
    600,
    'evidence_accumulating',
    0.3334998781859293,
    0.13407314392347658,
    [0.9499999999999953, -1.2573291293121556, 3.1572545572146353],
  ],
  [
    828,
    1000,
    'evidence_accumulating',
    1.8248036411535278,
    1.4588767850770044,
    [1.5666666666666607, -0.4797803956762069, 3.5656828121825397],
  ],
  [
    831,
    1000,
    'evidence_accumulating',
    1.2410819312960706,
    2.199958716373075,
    [1.8000000000000016, -0.15267139223636184, 3.6817474793834903],
  ],
  [
    826,
    1000,
    'evidence_accumulating',
    1.4427065831753292,
    3.1426652995484043,
    [2.0399999999999974, 0.14649050456695817, 3.848643322971469],
  ],
  [
    835,
    1000,
    'evidence_accumulating',
    0.5195259564192489,
    3.1621912559676533,
    [2.0499999999999963, 0.20002501104574544, 3.805817681233295],
  ],
  [
    829,
    1000,
    'evidence_accumulating',
    0.9438143431950228,
    3.6060055991626765,
    [2.1428571428571463, 0.32397252762666995, 3.8610468448531803],
  ],
  [
    750,
    1000,
    'fired',
    7.141315161087478,
    10.247320760250155,
    [3.200000000000003, 1.396406742783781, 4.8984694138481615],
  ],
  [
    752,
    1000,
    'no_evidence',
    -0.10341781451759424,
    0.0,
    [-0.20000000000000018, -3.9876251052447174, 3.5883442164355324],
  ],
  [100, 200, 'insufficient_labels', null, 0.0, null],
];
const largeSequence: Array<[number, number, RuleDecision, number | null, number, number[] | null]> = [
  [255000, 300000, 'baseline', null, 0.0, null],
  [
    253800,
    300000,
    'dismissed_below_threshold',
    4.315050679129486,
    3.8150506791294863,
    [0.40000000000000036, 0.2183152772734014, 0.5816842850974913],
  ],
  [
    254100,
    300000,
    'evidence_accumulating',
    1.2445288608490817,
    0.7445288608490817,
    [0.10000000000000009, -0.05739334030849675, 0.25786275450046664],
  ],
  [
    253900,
    300000,
    'evidence_accumulating',
    1.7584528919097537,
    2.0029817527588354,
    [0.13333333333332975, 0.004630734905245316, 0.2620358503843473],
  ],
];

function replay(rows: typeof sequence): RuleOutcome[] {
  let state: RuleState | null = null;
  return rows.map(([correct, n], i) => {
    const outcome = stepRetrainingRule(state, { correct, n, evaluationId: `e${i}` }, true, settings);
    state = outcome.state;
    return outcome;
  });
}

describe('dropZ', () => {
  it.each(zCases)('%i/%i vs %i/%i equals statsmodels proportions_ztest', (c1, n1, c2, n2, z) => {
    expect(dropZ({ correct: c1, n: n1 }, { correct: c2, n: n2 })).toBeCloseTo(z, 10);
  });

  it('is 0 when every label agrees', () => {
    expect(dropZ({ correct: 50, n: 50 }, { correct: 20, n: 20 })).toBe(0);
  });
});

describe('stepRetrainingRule: golden sequences', () => {
  it.each([
    ['a drop of 2 points, then 10 (fires once, then a new epoch)', sequence],
    ['300,000 labels a week and a 0.4-point drop (dismissed: within 0.5 pp)', largeSequence],
  ])('%s', (_name, rows) => {
    const outcomes = replay(rows);
    rows.forEach(([, , decision, z, statistic, change], i) => {
      const outcome = outcomes[i];
      expect([i, outcome.decision]).toEqual([i, decision]);
      expect(outcome.statistic).toBeCloseTo(statistic, 10);
      if (z === null) expect(outcome.z).toBeNull();
      else expect(outcome.z!).toBeCloseTo(z, 10);
      if (change === null) expect(outcome.changeEstimate).toBeNull();
      else {
        expect(outcome.changeEstimate!.dropPp).toBeCloseTo(change[0], 10);
        expect(outcome.changeEstimate!.interval.lower).toBeCloseTo(change[1], 8);
        expect(outcome.changeEstimate!.interval.upper).toBeCloseTo(change[2], 8);
      }
      expect(outcome.triggered).toBe(decision === 'fired');
    });
  });

  it('carries small evaluations forward and tests them with the next one', () => {
    const outcomes = replay(sequence);
    expect(outcomes[3].state.pending).toEqual({ correct: 300, n: 400 });
    expect(outcomes[4].observation).toEqual({ correct: 848, n: 1000 });
  });

  it('folds labels carried from another version into the baseline, not into the new observation', () => {
    const small = stepRetrainingRule(
      null,
      { correct: 380, n: 400, evaluationId: 'a', versionId: 'cnn' },
      true,
      settings,
    );
    const next = stepRetrainingRule(
      small.state,
      { correct: 510, n: 600, evaluationId: 'b', versionId: 'weak' },
      true,
      settings,
    );
    expect(next.observation).toEqual({ correct: 510, n: 600 });
    expect(next.baseline).toMatchObject({ correct: 380, n: 400 });
    expect(next.decision).toBe('fired');
    const same = stepRetrainingRule(
      small.state,
      { correct: 95, n: 100, evaluationId: 'c', versionId: 'cnn' },
      true,
      settings,
    );
    expect(same.observation).toEqual({ correct: 475, n: 500 });
  });

  it('restarts the epoch after firing: the firing observation is the new baseline', () => {
    const fired = replay(sequence).find((o) => o.triggered)!;
    expect(fired.state.baseline).toMatchObject({ correct: 750, n: 1000, observations: 1, sinceEvaluationId: 'e10' });
    expect(fired.state.statistic).toBe(0);
    expect(fired.changeEstimate!.sinceEvaluationId).toBe('e2');
    expect(fired.reason).toMatch(/exceeds 0.5 pp/);
  });

  it('reports, without counting, an evaluation that repeats counted labels', () => {
    const [first] = replay(sequence.slice(0, 1));
    const outcome = stepRetrainingRule(first.state, { correct: 10, n: 1000, evaluationId: 'again' }, false, settings);
    expect(outcome.decision).toBe('not_counted');
    expect(outcome.state).toBe(first.state);
  });
});
