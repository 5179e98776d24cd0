import { summariseEvent } from './webhook-event-summary';

const model = { name: 'digits', version: 'cnn-v1', versionId: '5f0c6a3e-8d55-4b8e-9d43-2b8d4f1c1a11' };
const body = (data: unknown) => JSON.stringify({ id: 'x', type: 't', version: 1, timestamp: '', data });

describe('summariseEvent', () => {
  it.each([
    [
      'drift.detected',
      { model, signal: 'brightness:c0', kl: 1.23456, threshold: 0.15 },
      'digits cnn-v1: brightness:c0 KL 1.235 > 0.15',
    ],
    [
      'drift.resolved',
      { model, signal: 'class', kl: 0.01, threshold: 0.15 },
      'digits cnn-v1: class back to ok, KL 0.010 ≤ 0.15',
    ],
    [
      'evaluation.completed',
      { model, accuracy: 0.866, labelled: 599, baselineAccuracy: 0.96 },
      'digits cnn-v1: accuracy 86.6% on 599 labels (baseline 96.0%)',
    ],
    [
      'evaluation.completed',
      { model, accuracy: 0.96, labelled: 599, baselineAccuracy: null },
      'digits cnn-v1: accuracy 96.0% on 599 labels',
    ],
    [
      'retraining.requested',
      {
        model,
        dropPp: 9.349,
        dropInterval: { lower: 6.1, upper: 12.64 },
        thresholdPp: 0.5,
        baselineAccuracy: 0.96,
        accuracy: 0.8664,
      },
      'digits cnn-v1: accuracy fell 9.35 pp [6.1, 12.6] > 0.5 pp, 96.0% → 86.6%',
    ],
    [
      'experiment.concluded',
      {
        modelName: 'digits',
        decision: 'challenger_better',
        champion: { ...model, version: 'weak-v1' },
        challenger: model,
        difference: 0.093,
        interval: { lower: 0.041, upper: 0.15 },
      },
      'digits: challenger_better, challenger digits cnn-v1 vs champion digits weak-v1, difference 9.3 pp [4.1, 15.0]',
    ],
    [
      'model.promoted',
      { model, previousChampion: { ...model, version: 'weak-v1' }, reason: 'experiment' },
      'digits cnn-v1 promoted (experiment), replacing digits weak-v1',
    ],
    ['model.promoted', { model, previousChampion: null, reason: 'manual' }, 'digits cnn-v1 promoted (manual)'],
  ])('%s (case %#)', (type, data, expected) => {
    expect(summariseEvent(type, body(data))).toBe(expected);
  });

  it.each([
    ['an unknown type', 'something.else', body({ a: 1 })],
    ['a body that is not JSON', 'drift.detected', '{nope'],
    ['a body without data', 'drift.detected', JSON.stringify({ id: 'x' })],
  ])('falls back to the type for %s', (_case, type, raw) => {
    expect(summariseEvent(type, raw)).toBe(type);
  });

  it('marks missing numbers instead of throwing', () => {
    expect(summariseEvent('drift.detected', body({ model, signal: 'class' }))).toBe('digits cnn-v1: class KL ? > ?');
  });
});
