import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ModelVersionEntity } from '../models/model-version.entity';
import { modelRefOf } from '../webhooks/webhook-event-catalogue';
import { EmittedWebhookEvent, WebhookEvents } from '../webhooks/webhook-events';
import { EvaluationEntity } from './evaluation.entity';
import { EvaluationRepository } from './evaluation.repository';
import { RuleOutcome } from './stats';

type Built = { record: EvaluationEntity; rule: RuleOutcome | null };

/**
 * Stores a run's records, claims the week's retraining request and writes the webhook events,
 * all in one transaction; the events are dispatched after commit.
 */
@Injectable()
export class EvaluationRecordsWriter {
  constructor(
    private readonly evaluations: EvaluationRepository,
    private readonly events: WebhookEvents,
  ) {}

  async write(model: ModelVersionEntity, built: Built[], thresholdPp: number): Promise<EvaluationEntity[]> {
    const outcome = await this.evaluations.transaction(async (manager) => {
      if (
        !(await this.evaluations.insert(
          manager,
          built.map((b) => b.record),
        ))
      )
        return { stored: [], emitted: [] };
      const emitted: EmittedWebhookEvent[] = [];
      const trigger = built.find((b) => b.rule?.triggered);
      if (trigger) {
        const { record } = trigger;
        if (await this.evaluations.claimRetraining(manager, model.name, record.isoWeek, record.id)) {
          await this.evaluations.markRetraining(manager, record.id);
          record.retrainingRequested = true;
          emitted.push(await this.retrainingEvent(manager, model, trigger.record, trigger.rule!, thresholdPp));
        }
      }
      for (const { record } of built) emitted.push(await this.completedEvent(manager, model, record));
      return { stored: built.map((b) => b.record), emitted };
    });
    for (const event of outcome.emitted) await this.events.dispatch(event.id);
    return outcome.stored;
  }

  private retrainingEvent(
    manager: EntityManager,
    model: ModelVersionEntity,
    record: EvaluationEntity,
    rule: RuleOutcome,
    thresholdPp: number,
  ) {
    return this.events.emit(manager, 'retraining.requested', {
      model: modelRefOf(model),
      evaluationId: record.id,
      reason: rule.reason,
      accuracy: record.accuracy,
      baselineAccuracy: record.baselineAccuracy!,
      dropPp: rule.dropPp,
      dropInterval: rule.dropInterval,
      thresholdPp,
      sampleSize: { current: record.n, baseline: record.baselineN! },
      source: record.source,
      isoWeek: record.isoWeek,
      window: windowOf(record),
      driftState: record.driftState,
    });
  }

  private completedEvent(manager: EntityManager, model: ModelVersionEntity, record: EvaluationEntity) {
    return this.events.emit(manager, 'evaluation.completed', {
      model: modelRefOf(model),
      evaluationId: record.id,
      window: windowOf(record),
      accuracy: record.accuracy,
      baselineAccuracy: record.baselineAccuracy,
      labelled: record.n,
      retrainingRequested: record.retrainingRequested,
      source: record.source,
      isoWeek: record.isoWeek,
      accuracyInterval: record.accuracyInterval,
      dropPp: record.dropPp,
      driftState: record.driftState,
    });
  }
}

const windowOf = (record: EvaluationEntity) => ({
  from: record.windowFrom.toISOString(),
  to: record.windowTo.toISOString(),
});
