import { Injectable, Logger } from '@nestjs/common';
import { unprocessable } from './evaluation-errors';
import { AppConfig } from '../config/app-config';
import { DriftRepository } from '../drift/drift.repository';
import { ModelVersionEntity } from '../models/model-version.entity';
import { EvaluationEntity } from './evaluation.entity';
import { EvaluationRecordsWriter } from './evaluation-records.writer';
import { EvaluationRun, ScoredSource, summariseSource } from './evaluation-record';
import { EvaluationSetRepository } from './evaluation-set.repository';
import { EvaluationRepository } from './evaluation.repository';
import { SetScorer } from './set-scorer';
import { RuleSettings } from './stats';

export interface EvaluationRequest {
  kind: EvaluationRun['kind'];
  isoWeek: string;
  from: Date;
  to: Date;
}

/** Evaluates a model version over the window's labelled feedback and every registered set. */
@Injectable()
export class EvaluationService {
  private readonly logger = new Logger('Evaluation');

  constructor(
    private readonly evaluations: EvaluationRepository,
    private readonly sets: EvaluationSetRepository,
    private readonly scorer: SetScorer,
    private readonly drift: DriftRepository,
    private readonly writer: EvaluationRecordsWriter,
    private readonly config: AppConfig,
  ) {}

  /** Stored records; empty when a weekly run for this model and week already exists. */
  async evaluate(model: ModelVersionEntity, request: EvaluationRequest): Promise<EvaluationEntity[]> {
    const scored = (await this.score(model, request)).filter((s) => s.pairs.length > 0);
    if (scored.length === 0) {
      throw unprocessable('no_labels', `no labelled feedback in the window and no evaluation set for ${model.name}`);
    }
    const report = await this.drift.latestReport(model.id);
    const run: EvaluationRun = { ...request, driftState: report?.state ?? null };
    const summaries = scored.map((source) => summariseSource(model, source));
    const stored = await this.writer.write(model, run, summaries, {
      settings: this.settings(),
      policy: this.config.EVAL_BASELINE_POLICY,
    });
    // vigil_model_accuracy is read from the stored evaluations at scrape time (StoredStateMetrics).
    for (const record of stored) {
      this.logger.log(
        { model: model.name, version: model.version, source: record.source, n: record.n, accuracy: record.accuracy },
        'model evaluated',
      );
    }
    return stored;
  }

  private async score(model: ModelVersionEntity, request: EvaluationRequest): Promise<ScoredSource[]> {
    const scored: ScoredSource[] = [
      { source: 'feedback', pairs: await this.evaluations.feedbackPairs(model.id, request.from, request.to) },
    ];
    for (const set of await this.sets.list(model.name)) {
      scored.push({ source: `set:${set.id}`, pairs: await this.scorer.score(model, await this.sets.items(set.id)) });
    }
    return scored;
  }

  private settings(): RuleSettings {
    return {
      maxDropPp: this.config.EVAL_MAX_DROP_PP,
      minLabels: this.config.EVAL_MIN_LABELS,
      level: this.config.EVAL_CONFIDENCE_LEVEL,
      decisionLimit: this.config.EVAL_CUSUM_LIMIT,
    };
  }
}
