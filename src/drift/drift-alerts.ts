import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ModelVersionEntity } from '../models/model-version.entity';
import { modelRefOf } from '../webhooks/webhook-event-catalogue';
import { WebhookEvents } from '../webhooks/webhook-events';
import { DriftReportEntity, SignalReport } from './drift-report.entity';
import { DriftRepository } from './drift.repository';

/** drift.detected / drift.resolved through the webhook outbox, in the report's transaction. */
@Injectable()
export class DriftAlerts {
  constructor(
    private readonly events: WebhookEvents,
    private readonly drift: DriftRepository,
  ) {}

  async detected(manager: EntityManager, model: ModelVersionEntity, report: DriftReportEntity): Promise<string> {
    const event = await this.events.emit(
      manager,
      'drift.detected',
      payload(model, report, worstSignal(report.signals, 'drift')),
    );
    return event.id;
  }

  async resolved(manager: EntityManager, model: ModelVersionEntity, report: DriftReportEntity): Promise<string> {
    const startedAt = await this.drift.driftStartedAt(manager, model.id, report.checkedAt);
    const data = {
      ...payload(model, report, worstSignal(report.signals, 'ok')),
      driftStartedAt: startedAt?.toISOString(),
    };
    const event = await this.events.emit(manager, 'drift.resolved', data);
    return event.id;
  }

  dispatch(eventIds: string[]): Promise<void[]> {
    return Promise.all(eventIds.map((id) => this.events.dispatch(id)));
  }
}

/** The signal furthest over its threshold (relative), among those in the given state when any. */
function worstSignal(signals: SignalReport[], state: string): SignalReport {
  const candidates = signals.filter((s) => s.counted && s.state === state);
  const pool = candidates.length ? candidates : signals;
  return pool.reduce((worst, s) => (s.kl / s.threshold > worst.kl / worst.threshold ? s : worst));
}

function payload(model: ModelVersionEntity, report: DriftReportEntity, signal: SignalReport) {
  return {
    model: modelRefOf(model),
    signal: signal.signal,
    kl: signal.kl,
    threshold: signal.threshold,
    expectedNullKl: signal.expectedNullKl ?? 0,
    pValue: signal.pValue ?? 1,
    sampleSize: { reference: Math.round(signal.nReference), current: Math.round(signal.nCurrent) },
    window: { from: report.windowFrom.toISOString(), to: report.windowTo.toISOString() },
    reportId: report.id,
  };
}
