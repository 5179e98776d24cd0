import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { ModelVersionRepository } from '../models/model-version.repository';
import { ModelRegistry } from '../models/model-registry.service';
import { PredictionLogWriter } from '../recording/prediction-log.writer';
import { WebhookEvents } from '../webhooks/webhook-events';
import { analyse, Analysis } from './experiment-analysis';
import { ExperimentEntity } from './experiment.entity';
import { ExperimentRepository } from './experiment.repository';
import { ExperimentEventsFactory } from './experiment-events';
import { ExperimentRouter } from './experiment-router';

/**
 * One look at a running experiment: count, decide, store the decision; on a verdict, end the
 * experiment, promote (challenger better) and emit the webhooks in the same transaction.
 */
@Injectable()
export class ExperimentAnalyser {
  private readonly logger = new Logger('ExperimentAnalyser');

  constructor(
    private readonly experiments: ExperimentRepository,
    private readonly versions: ModelVersionRepository,
    private readonly registry: ModelRegistry,
    private readonly router: ExperimentRouter,
    private readonly log: PredictionLogWriter,
    private readonly webhooks: WebhookEvents,
    private readonly events: ExperimentEventsFactory,
    private readonly config: AppConfig,
  ) {}

  /** One look; the answer carries `decidedAt`, the time of the stored decision (null when none was stored). */
  async analyse(experiment: ExperimentEntity, now = new Date()): Promise<Analysis & { decidedAt: Date | null }> {
    await this.log.flush();
    const accuracy =
      experiment.mode === 'shadow'
        ? await this.experiments.pairedAccuracy(experiment, now)
        : await this.experiments.armAccuracy(experiment, now);
    const traffic = await this.experiments.armTraffic(experiment, now);
    const errors = await this.experiments.armErrors(experiment.id);
    const analysis = analyse({
      experiment,
      accuracy,
      traffic,
      errors,
      maxLatencyRatio: this.config.EXPERIMENT_MAX_LATENCY_RATIO,
      maxErrorRateIncrease: this.config.EXPERIMENT_MAX_ERROR_RATE_INCREASE,
    });
    if (experiment.status !== 'running') return { ...analysis, decidedAt: null };
    let decidedAt: Date | null = now;
    if (analysis.verdict === 'challenger_better' || analysis.verdict === 'champion_holds') {
      // Another replica may have concluded it first: then this look stored nothing.
      if (!(await this.conclude(experiment, analysis, now))) decidedAt = null;
    } else {
      await this.experiments.saveDecision(this.decisionRow(experiment, analysis, now));
    }
    this.logger.log(
      { model: experiment.modelName, experimentId: experiment.id, verdict: analysis.verdict, counts: analysis.counts },
      'experiment analysed',
    );
    return { ...analysis, decidedAt };
  }

  private async conclude(experiment: ExperimentEntity, analysis: Analysis, now: Date): Promise<boolean> {
    const promote = analysis.verdict === 'challenger_better';
    const eventIds: string[] = [];
    const ended = await this.experiments.end(experiment.id, 'concluded', analysis.verdict, async (manager) => {
      await this.experiments.saveDecision(this.decisionRow(experiment, analysis, now), manager);
      if (promote) await this.versions.promoteIn(manager, experiment.challengerVersionId, experiment.modelName);
      eventIds.push(...(await this.emit(manager, experiment, analysis, promote)));
    });
    if (!ended) return false; // another replica concluded it first
    if (promote) {
      // Already champion: this reloads nothing new, and drops this replica's champion cache.
      const [, challenger] = await this.events.arms(experiment);
      await this.registry.promote(experiment.modelName, challenger.version);
    }
    this.router.invalidate(experiment.modelName);
    for (const id of eventIds) await this.webhooks.dispatch(id);
    return true;
  }

  private async emit(
    manager: EntityManager,
    experiment: ExperimentEntity,
    analysis: Analysis,
    promote: boolean,
  ): Promise<string[]> {
    const decision = promote ? 'challenger_better' : 'champion_holds';
    const concluded = await this.webhooks.emit(
      manager,
      'experiment.concluded',
      await this.events.concluded(experiment, decision, analysis),
    );
    if (!promote) return [concluded.id];
    const promoted = await this.webhooks.emit(manager, 'model.promoted', await this.events.promoted(experiment));
    return [concluded.id, promoted.id];
  }

  /** The stored decision; decided at the look's `now`, the time its answer reports. */
  private decisionRow(experiment: ExperimentEntity, analysis: Analysis, decidedAt: Date) {
    const { verdict, method, parameters, counts, difference, lower, upper, checks } = analysis;
    return {
      id: randomUUID(),
      experimentId: experiment.id,
      decidedAt,
      verdict,
      method,
      parameters,
      counts,
      difference,
      lower,
      upper,
      checks,
    };
  }
}
