import { Injectable } from '@nestjs/common';
import { ModelVersionRepository } from '../models/model-version.repository';
import { PredictionLogWriter } from '../recording/prediction-log.writer';
import { PredictionRepository } from '../recording/prediction.repository';
import { FeedbackRepository, FeedbackRow } from './feedback.repository';

export interface FeedbackItem {
  prediction_id: string;
  label: string;
}

export type FeedbackOutcome =
  | { prediction_id: string; status: 'accepted' }
  | { prediction_id: string; status: 'unknown_prediction' | 'unknown_label'; message: string };

/** Ground-truth labels by prediction id: idempotent, and every item answered on its own. */
@Injectable()
export class FeedbackService {
  constructor(
    private readonly feedback: FeedbackRepository,
    private readonly predictions: PredictionRepository,
    private readonly versions: ModelVersionRepository,
    private readonly log: PredictionLogWriter,
  ) {}

  async record(items: FeedbackItem[]): Promise<FeedbackOutcome[]> {
    const ids = [...new Set(items.map((i) => i.prediction_id))];
    let found = await this.predictions.findByIds(ids);
    if (found.length < ids.length) {
      // Labels can arrive before the log writer's next flush.
      await this.log.flush();
      found = await this.predictions.findByIds(ids);
    }
    const byId = new Map(found.map((p) => [p.id, p]));
    const labels = await this.labelsOf([...new Set(found.map((p) => p.modelVersionId))]);
    const rows: FeedbackRow[] = [];
    const outcomes = items.map((item): FeedbackOutcome => {
      const prediction = byId.get(item.prediction_id);
      if (!prediction)
        return {
          prediction_id: item.prediction_id,
          status: 'unknown_prediction',
          message: 'no prediction with this id',
        };
      const labelClass = labels.get(prediction.modelVersionId)?.indexOf(item.label) ?? -1;
      if (labelClass < 0) {
        return {
          prediction_id: item.prediction_id,
          status: 'unknown_label',
          message: `'${item.label}' is not a label of this model`,
        };
      }
      rows.push({ ...prediction, predictionId: prediction.id, predictedAt: prediction.createdAt, labelClass });
      return { prediction_id: item.prediction_id, status: 'accepted' };
    });
    await this.feedback.upsert(dedupe(rows));
    return outcomes;
  }

  private async labelsOf(versionIds: string[]): Promise<Map<string, string[]>> {
    const versions = await Promise.all(versionIds.map((id) => this.versions.findById(id)));
    return new Map(versions.filter((v) => v !== null).map((v) => [v.id, v.labels]));
  }
}

/** The last label given for a prediction in one request wins (one row per id per statement). */
function dedupe(rows: FeedbackRow[]): FeedbackRow[] {
  return [...new Map(rows.map((r) => [r.predictionId, r])).values()];
}
