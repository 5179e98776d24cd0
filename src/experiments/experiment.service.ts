import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { conflict, invalid, notFound } from '../common/domain-error';
import { ModelRunner } from '../models/model-runner';
import { ModelRegistry } from '../models/model-registry.service';
import { WebhookEvents } from '../webhooks/webhook-events';
import { CreateExperiment } from './experiment.dto';
import { ExperimentEntity } from './experiment.entity';
import { ExperimentRepository } from './experiment.repository';
import { ExperimentRouter } from './experiment-router';
import { ExperimentEventsFactory } from './experiment-events';
import { isUniqueViolation } from '../infra/database/postgres-errors';

/** Starting, reading and stopping experiments. The analysis lives in ExperimentAnalyser. */
@Injectable()
export class ExperimentService {
  private readonly logger = new Logger('Experiments');

  constructor(
    private readonly experiments: ExperimentRepository,
    private readonly registry: ModelRegistry,
    private readonly runner: ModelRunner,
    private readonly router: ExperimentRouter,
    private readonly webhooks: WebhookEvents,
    private readonly events: ExperimentEventsFactory,
  ) {}

  async start(modelName: string, request: CreateExperiment): Promise<ExperimentEntity> {
    const champion = await this.registry.resolve(modelName);
    const challenger = await this.registry.get(modelName, request.challengerVersion);
    if (challenger.id === champion.id)
      throw invalid('challenger_is_champion', `version ${challenger.version} is already the champion of ${modelName}`);
    if (challenger.role === 'retired')
      throw invalid('challenger_retired', `version ${challenger.version} of ${modelName} is retired`);
    if (request.mode === 'shadow' && JSON.stringify(challenger.inputSpec) !== JSON.stringify(champion.inputSpec))
      throw invalid('input_spec_differs', "shadow mode needs the challenger to take the champion's input spec");
    if ((await this.experiments.running(modelName)).length) throw alreadyRunning(modelName);
    await this.runner.ensureLoaded(this.registry.loadable(challenger));
    const id = randomUUID();
    const experiment = await this.experiments
      .insert({
        id,
        key: `${modelName}-${id}`,
        modelName,
        championVersionId: champion.id,
        challengerVersionId: challenger.id,
        ...request,
      })
      .catch((error: unknown) => {
        throw isUniqueViolation(error) ? alreadyRunning(modelName) : error;
      });
    this.router.invalidate(modelName);
    this.logger.log({ model: modelName, experimentId: id, challenger: challenger.version }, 'experiment started');
    return experiment;
  }

  async get(id: string): Promise<ExperimentEntity> {
    const experiment = await this.experiments.findById(id);
    if (!experiment) throw notFound('experiment_not_found', `no experiment ${id}`);
    return experiment;
  }

  async stop(id: string): Promise<ExperimentEntity> {
    const experiment = await this.get(id);
    let eventId: string | undefined;
    const ended = await this.experiments.end(id, 'stopped', 'stopped', async (manager) => {
      const data = await this.events.concluded(experiment, 'stopped', null);
      eventId = (await this.webhooks.emit(manager, 'experiment.concluded', data)).id;
    });
    if (!ended) throw conflict('experiment_not_running', `experiment ${id} is ${experiment.status}`);
    this.router.invalidate(experiment.modelName);
    if (eventId) await this.webhooks.dispatch(eventId);
    return this.get(id);
  }
}

function alreadyRunning(modelName: string) {
  return conflict('experiment_running', `model ${modelName} already has a running experiment; stop it first`);
}
