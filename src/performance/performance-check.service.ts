import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { EvaluationRepository } from '../evaluation/evaluation.repository';
import { isoWeek } from '../evaluation/stats';
import { ModelVersionEntity } from '../models/model-version.entity';
import { modelRefOf } from '../webhooks/webhook-event-catalogue';
import { EmittedWebhookEvent, WebhookEvents } from '../webhooks/webhook-events';
import { AccuracyEstimator } from './accuracy-estimator';
import { CalibrationRepository } from './calibration.repository';
import { PerformanceEstimateEntity } from './performance-estimate.entity';
import { PerformanceEstimateRepository } from './performance-estimate.repository';
import { WindowEstimate } from './window-estimate';

export interface Baseline {
  accuracy: number;
  n: number;
  source: 'retraining_rule' | 'calibration';
}

/**
 * The scheduled estimate of a version over the rolling drift window, stored; for a champion it
 * sends performance.estimated_drop (once per model and ISO week) when a reliable estimate's upper
 * bound is below the baseline by more than EVAL_MAX_DROP_PP on at least EVAL_MIN_LABELS predictions.
 */
@Injectable()
export class PerformanceCheckService {
  private readonly logger = new Logger('PerformanceCheck');

  constructor(
    private readonly estimator: AccuracyEstimator,
    private readonly estimates: PerformanceEstimateRepository,
    private readonly calibrations: CalibrationRepository,
    private readonly evaluations: EvaluationRepository,
    private readonly events: WebhookEvents,
    private readonly config: AppConfig,
  ) {}

  /** Null when the version has no calibration: nothing is estimated or stored. */
  async check(version: ModelVersionEntity, now = new Date()): Promise<PerformanceEstimateEntity | null> {
    const window = { from: new Date(now.getTime() - this.config.DRIFT_WINDOW_HOURS * 3_600_000), to: now };
    const estimate = await this.estimator.estimate(version, window);
    if (!estimate) return null;
    const emitted: EmittedWebhookEvent[] = [];
    const stored = await this.estimates.transaction(async (manager) => {
      const baseline = await this.baseline(manager, version, estimate.calibrationId);
      const record: PerformanceEstimateEntity = {
        id: randomUUID(),
        modelVersionId: version.id,
        checkedAt: now,
        windowFrom: window.from,
        windowTo: window.to,
        n: estimate.n,
        accuracy: estimate.accuracy,
        lower: estimate.interval?.lower ?? null,
        upper: estimate.interval?.upper ?? null,
        reliable: estimate.reliable,
        baselineAccuracy: baseline?.accuracy ?? null,
        alerted: false,
        detail: estimate,
      };
      await this.estimates.insert(manager, record);
      if (baseline && this.dropWorthAlerting(version, estimate, baseline)) {
        const week = isoWeek(now);
        if (await this.estimates.claimAlert(manager, version.name, week, record.id)) {
          await this.estimates.markAlerted(manager, record.id);
          record.alerted = true;
          emitted.push(await this.alert(manager, version, record, estimate, baseline, week));
        }
      }
      return record;
    });
    for (const event of emitted) await this.events.dispatch(event.id);
    const { accuracy, n, reliable, alerted } = stored;
    this.logger.log(
      { model: version.name, version: version.version, accuracy, n, reliable, alerted },
      'accuracy estimated',
    );
    return stored;
  }

  /**
   * What the estimate is compared with: the retraining rule's pooled baseline of the version's
   * feedback evaluations when there is one, else the accuracy of the data the calibration came from.
   */
  async baseline(manager: EntityManager, version: ModelVersionEntity, calibrationId: string): Promise<Baseline | null> {
    const state = await this.evaluations.previousRuleState(
      manager,
      version,
      'feedback',
      this.config.EVAL_BASELINE_POLICY,
    );
    if (state && state.baseline.n > 0) {
      return { accuracy: state.baseline.correct / state.baseline.n, n: state.baseline.n, source: 'retraining_rule' };
    }
    const calibration = await this.calibrations.latest(version.id);
    if (!calibration || calibration.id !== calibrationId) return null;
    return { accuracy: calibration.correct / calibration.n, n: calibration.n, source: 'calibration' };
  }

  private dropWorthAlerting(version: ModelVersionEntity, estimate: WindowEstimate, baseline: Baseline): boolean {
    if (version.role !== 'champion' || !estimate.reliable || !estimate.interval) return false;
    if (estimate.n < this.config.EVAL_MIN_LABELS) return false;
    return (baseline.accuracy - estimate.interval.upper) * 100 > this.config.EVAL_MAX_DROP_PP;
  }

  private alert(
    manager: EntityManager,
    version: ModelVersionEntity,
    record: PerformanceEstimateEntity,
    estimate: WindowEstimate,
    baseline: Baseline,
    week: string,
  ) {
    return this.events.emit(manager, 'performance.estimated_drop', {
      model: modelRefOf(version),
      estimateId: record.id,
      isoWeek: week,
      window: estimate.window,
      estimatedAccuracy: estimate.accuracy!,
      interval: estimate.interval!,
      baselineAccuracy: baseline.accuracy,
      baselineSource: baseline.source,
      dropPp: (baseline.accuracy - estimate.accuracy!) * 100,
      upperBoundDropPp: (baseline.accuracy - estimate.interval!.upper) * 100,
      thresholdPp: this.config.EVAL_MAX_DROP_PP,
      sampleSize: estimate.n,
      calibrationId: estimate.calibrationId,
      reliable: true,
    });
  }
}
