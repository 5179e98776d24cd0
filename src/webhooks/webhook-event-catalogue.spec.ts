import { randomUUID } from 'node:crypto';
import {
  buildEnvelope,
  isWebhookEventType,
  subscribableEventTypes,
  webhookEventCatalogue,
  webhookEventTypes,
} from './webhook-event-catalogue';

const model = { name: 'digits', version: '1', versionId: randomUUID() };

describe('webhook event catalogue', () => {
  it('has every event the issue names, each with a version', () => {
    expect(webhookEventTypes).toEqual(
      expect.arrayContaining([
        'drift.detected',
        'drift.resolved',
        'evaluation.completed',
        'retraining.requested',
        'experiment.concluded',
        'model.promoted',
        'webhook.test',
      ]),
    );
    for (const type of webhookEventTypes) expect(webhookEventCatalogue[type].version).toBeGreaterThanOrEqual(1);
    expect(subscribableEventTypes).not.toContain('webhook.test');
  });

  it('recognises catalogue types only', () => {
    expect(isWebhookEventType('model.promoted')).toBe(true);
    expect(isWebhookEventType('toString')).toBe(false);
    expect(isWebhookEventType('model.deleted')).toBe(false);
  });

  it('builds the envelope with id, type, version, timestamp and validated data', () => {
    const at = new Date('2026-03-01T12:00:00Z');
    const data = { model, previousChampion: null, reason: 'manual' as const, experimentId: null };
    expect(buildEnvelope('id-1', 'model.promoted', data, at)).toEqual({
      id: 'id-1',
      type: 'model.promoted',
      version: 1,
      timestamp: '2026-03-01T12:00:00.000Z',
      data,
    });
  });

  it('refuses a payload that does not match its schema', () => {
    const data = { model, previousChampion: null, reason: 'because', experimentId: null };
    expect(() => buildEnvelope('id-2', 'model.promoted', data as never, new Date())).toThrow(
      /invalid model.promoted payload: reason/,
    );
  });
});
