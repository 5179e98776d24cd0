import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ModelVersionEntity } from '../models/model-version.entity';
import { modelRefOf } from '../webhooks/webhook-event-catalogue';
import { EmittedWebhookEvent, WebhookEvents } from '../webhooks/webhook-events';
import { EvaluationEntity } from './evaluation.entity';
import { evaluationRecord, EvaluationRun, SourceSummary } from './evaluation-record';
import { BaselinePolicy, EvaluationRepository } from './evaluation.repository';
import { RuleOutcome, RuleSettings, SHEWHART_LIMIT_Z, stepRetrainingRule } from './stats';

export interface RuleContext {
  settings: RuleSettings;
  policy: BaselinePolicy;
}

/**
 * Applies the retraining rule to a run's sources and stores the records, the week's retraining
 * request and the webhook events in one transaction, under a per-model lock so that each
 * evaluation continues from the rule state the previous one stored. Events are dispatched after commit.
 */
@Injectable()
export class EvaluationRecordsWriter {
  constructor(
    private readonly evaluations: EvaluationRepository,
    private readonly events: WebhookEvents,
  ) {}

  async write(
    model: ModelVersionEntity,
    run: EvaluationRun,
    summaries: SourceSummary[],
    context: RuleContext,
  ): Promise<EvaluationEntity[]> {
    const outcome = await this.evaluations.transaction(async (manager) => {
      await this.evaluations.lockModel(manager, model.name);
      const records: EvaluationEntity[] = [];
      for (const summary of summaries) records.push(await this.recordOf(manager, model, run, summary, context));
      if (!(await this.evaluations.insert(manager, records))) return { stored: [], emitted: [] };
      const emitted: EmittedWebhookEvent[] = [];
      for (const record of records.filter((r) => r.rule!.triggered)) {
        if (!(await this.evaluations.claimRetraining(manager, model.name, record.isoWeek, record.id))) continue;
        await this.evaluations.markRetraining(manager, record.id);
        record.retrainingRequested = true;
        emitted.push(await this.retrainingEvent(manager, model, record, record.rule!, context.settings.maxDropPp));
      }
      for (const record of records) emitted.push(await this.completedEvent(manager, model, record));
      return { stored: records, emitted };
    });
    for (const event of outcome.emitted) await this.events.dispatch(event.id);
    return outcome.stored;
  }

  private async recordOf(
    manager: EntityManager,
    model: ModelVersionEntity,
    run: EvaluationRun,
    summary: SourceSummary,
    { settings, policy }: RuleContext,
  ): Promise<EvaluationEntity> {
    const id = randomUUID();
    // A revision's own labels were never counted: the rule sees only those (the late ones).
    const counted = summary.revision
      ? summary.revision.counted
      : !(await this.evaluations.alreadyCounted(manager, model.id, summary.source, run));
    const observed = summary.revision?.observation ?? summary;
    const previous = await this.evaluations.previousRuleState(manager, model, summary.source, policy);
    const rule = stepRetrainingRule(
      previous,
      { correct: observed.correct, n: observed.n, evaluationId: id, versionId: model.id },
      counted,
      settings,
    );
    return evaluationRecord(id, model, run, summary, rule, settings.level);
  }

  /** The decision rests on the drop since the estimated change point: that is the drop reported. */
  private retrainingEvent(
    manager: EntityManager,
    model: ModelVersionEntity,
    record: EvaluationEntity,
    rule: RuleOutcome,
    thresholdPp: number,
  ) {
    const change = rule.changeEstimate!;
    return this.events.emit(manager, 'retraining.requested', {
      model: modelRefOf(model),
      evaluationId: record.id,
      reason: rule.reason,
      accuracy: record.accuracy,
      baselineAccuracy: change.baselineAccuracy,
      dropPp: change.dropPp,
      dropInterval: change.interval,
      thresholdPp,
      sampleSize: { current: change.n, baseline: change.baselineN },
      source: record.source,
      isoWeek: record.isoWeek,
      window: windowOf(record),
      driftState: record.driftState,
      estimatedAccuracy: estimateOf(record),
      rule: {
        name: rule.rule,
        parameters: rule.parameters,
        statistic: rule.statistic,
        threshold: rule.threshold,
        z: rule.z!,
        shewhartLimit: SHEWHART_LIMIT_Z,
        changeSinceEvaluationId: change.sinceEvaluationId,
      },
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
      ruleDecision: record.rule?.decision,
      estimatedAccuracy: estimateOf(record),
      revisionOf: record.revisionOf,
    });
  }
}

const windowOf = (record: EvaluationEntity) => ({
  from: record.windowFrom.toISOString(),
  to: record.windowTo.toISOString(),
});

/** The estimate over the record's window, beside the realised accuracy (optional payload field). */
const estimateOf = ({ estimate }: EvaluationEntity) =>
  estimate?.accuracy == null
    ? null
    : {
        accuracy: estimate.accuracy,
        interval: estimate.interval!,
        n: estimate.n,
        reliable: estimate.reliable,
        reason: estimate.reason,
      };
