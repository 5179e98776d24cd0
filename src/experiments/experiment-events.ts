import { Injectable } from '@nestjs/common';
import { ModelVersionEntity } from '../models/model-version.entity';
import { ModelVersionRepository } from '../models/model-version.repository';
import { modelRefOf, WebhookEventData } from '../webhooks/webhook-event-catalogue';
import { Analysis } from './experiment-analysis';
import { ExperimentEntity } from './experiment.entity';

type Concluded = WebhookEventData<'experiment.concluded'>;

/** Builds the webhook payloads of an experiment's end. */
@Injectable()
export class ExperimentEventsFactory {
  constructor(private readonly versions: ModelVersionRepository) {}

  async arms(experiment: ExperimentEntity): Promise<[ModelVersionEntity, ModelVersionEntity]> {
    const [champion, challenger] = await Promise.all([
      this.versions.findById(experiment.championVersionId),
      this.versions.findById(experiment.challengerVersionId),
    ]);
    if (!champion || !challenger) throw new Error(`experiment ${experiment.id} refers to a deleted version`);
    return [champion, challenger];
  }

  async concluded(
    experiment: ExperimentEntity,
    decision: Concluded['decision'],
    analysis: Analysis | null,
  ): Promise<Concluded> {
    const [champion, challenger] = await this.arms(experiment);
    const hasInterval = analysis !== null && analysis.lower !== null && analysis.upper !== null;
    return {
      experimentId: experiment.id,
      key: experiment.key,
      modelName: experiment.modelName,
      champion: modelRefOf(champion),
      challenger: modelRefOf(challenger),
      decision,
      method: analysis?.method ?? 'manual_stop',
      difference: analysis?.difference ?? null,
      interval: hasInterval
        ? { lower: analysis.lower!, upper: analysis.upper!, level: experiment.confidenceLevel }
        : null,
      counts: analysis?.counts ?? {},
    };
  }

  async promoted(experiment: ExperimentEntity): Promise<WebhookEventData<'model.promoted'>> {
    const [champion, challenger] = await this.arms(experiment);
    return {
      model: modelRefOf(challenger),
      previousChampion: modelRefOf(champion),
      reason: 'experiment',
      experimentId: experiment.id,
    };
  }
}
