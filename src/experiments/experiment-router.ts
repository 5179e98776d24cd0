import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { StaleOnErrorCache } from '../common/stale-on-error-cache';
import { AppConfig } from '../config/app-config';
import { ModelVersionEntity } from '../models/model-version.entity';
import { ModelVersionRepository } from '../models/model-version.repository';
import { ExperimentRepository } from './experiment.repository';
import { inChallengerShare } from './stats';

export type Arm = 'control' | 'treatment' | 'shadow';

export interface Route {
  experimentId: string;
  model: ModelVersionEntity;
  arm: Arm;
  unitId: string;
  /** Shadow mode: the challenger that scores the same input after the answer. */
  shadow?: ModelVersionEntity;
}

interface RunningExperiment {
  id: string;
  key: string;
  mode: 'split' | 'shadow';
  share: number;
  champion: ModelVersionEntity;
  challenger: ModelVersionEntity;
}

/**
 * Which version answers a unit while an experiment runs. The running experiment of each model is
 * cached ROUTING_CACHE_MS (like the champion), so routing costs no query per request; this
 * replica drops its entry at once when it starts, stops or concludes an experiment.
 */
@Injectable()
export class ExperimentRouter {
  private readonly cache = new StaleOnErrorCache<RunningExperiment | null>(
    () => this.config.ROUTING_CACHE_MS,
    'ExperimentRouter',
  );

  constructor(
    private readonly experiments: ExperimentRepository,
    private readonly versions: ModelVersionRepository,
    private readonly config: AppConfig,
  ) {}

  /** null: no experiment on this model, the caller serves its champion as before. */
  async route(modelName: string, unitId: string | undefined): Promise<Route | null> {
    const running = await this.running(modelName);
    if (!running) return null;
    const unit = unitId ?? randomUUID();
    const selected = inChallengerShare(running.key, unit, running.share);
    const experimentId = running.id;
    if (running.mode === 'split') {
      return selected
        ? { experimentId, model: running.challenger, arm: 'treatment', unitId: unit }
        : { experimentId, model: running.champion, arm: 'control', unitId: unit };
    }
    const shadow = selected ? running.challenger : undefined;
    return { experimentId, model: running.champion, arm: 'control', unitId: unit, shadow };
  }

  invalidate(modelName: string): void {
    this.cache.delete(modelName);
  }

  private running(modelName: string): Promise<RunningExperiment | null> {
    return this.cache.get(modelName, () => this.load(modelName));
  }

  private async load(modelName: string): Promise<RunningExperiment | null> {
    const [experiment] = await this.experiments.running(modelName);
    let running: RunningExperiment | null = null;
    if (experiment) {
      const [champion, challenger] = await Promise.all([
        this.versions.findById(experiment.championVersionId),
        this.versions.findById(experiment.challengerVersionId),
      ]);
      if (champion && challenger) {
        running = {
          id: experiment.id,
          key: experiment.key,
          mode: experiment.mode,
          share: experiment.trafficShare,
          champion,
          challenger,
        };
      }
    }
    return running;
  }
}
