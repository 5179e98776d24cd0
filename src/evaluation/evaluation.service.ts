import { Injectable, Logger } from '@nestjs/common';
import { unprocessable } from './evaluation-errors';
import { AppConfig } from '../config/app-config';
import { DriftRepository } from '../drift/drift.repository';
import { ModelVersionEntity } from '../models/model-version.entity';
import { AccuracyEstimator } from '../performance/accuracy-estimator';
import { EvaluationEntity } from './evaluation.entity';
import { EvaluationRecordsWriter, RuleContext } from './evaluation-records.writer';
import { EvaluationRun, Revision, ScoredSource, summariseSource } from './evaluation-record';
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
    private readonly estimator: AccuracyEstimator,
    private readonly config: AppConfig,
  ) {}

  /** Stored records; empty when a weekly run for this model and week already exists. */
  async evaluate(model: ModelVersionEntity, request: EvaluationRequest): Promise<EvaluationEntity[]> {
    const scored = (await this.score(model, request)).filter((s) => s.pairs.length > 0);
    if (scored.length === 0) {
      throw unprocessable('no_labels', `no labelled feedback in the window and no evaluation set for ${model.name}`);
    }
    const run = await this.runOf(model, request);
    const summaries = scored.map((source) => summariseSource(model, source));
    const stored = await this.writer.write(model, run, summaries, ruleContextOf(this.config));
    // vigil_model_accuracy is read from the stored evaluations at scrape time (StoredStateMetrics).
    for (const record of stored) {
      this.logger.log(
        { model: model.name, version: model.version, source: record.source, n: record.n, accuracy: record.accuracy },
        'model evaluated',
      );
    }
    return stored;
  }

  /**
   * A week's feedback re-evaluated after late labels (README "Late labels"): every label of the
   * week in the record, the late ones as the rule's observation. Empty if another run got there first.
   */
  async revise(
    model: ModelVersionEntity,
    first: EvaluationEntity,
    latest: EvaluationEntity,
  ): Promise<EvaluationEntity[]> {
    const request = { kind: 'revision' as const, isoWeek: first.isoWeek, from: first.windowFrom, to: first.windowTo };
    const pairs = await this.evaluations.feedbackPairs(model.id, first.windowFrom, first.windowTo);
    const summary = summariseSource(model, { source: first.source, pairs });
    // Late labels = the week's labels now minus those the last record of the week counted. A corrected
    // label changes correct without adding one: the observation is clamped to a valid proportion.
    const n = Math.max(0, summary.n - latest.n);
    const revision: Revision = {
      of: first.id,
      number: latest.revision + 1,
      observation: { n, correct: Math.min(n, Math.max(0, summary.correct - latest.correct)) },
      counted: first.rule?.decision !== 'not_counted',
    };
    const run = await this.runOf(model, request);
    return this.writer.write(model, run, [{ ...summary, revision }], ruleContextOf(this.config));
  }

  private async runOf(model: ModelVersionEntity, request: EvaluationRequest): Promise<EvaluationRun> {
    const report = await this.drift.latestReport(model.id);
    // The estimate sits beside the realised accuracy; a failure to estimate never fails an evaluation.
    const estimate = await this.estimator.estimate(model, request).catch((err: unknown) => {
      this.logger.warn({ model: model.name, err }, 'accuracy estimate failed; recorded without it');
      return null;
    });
    return { ...request, driftState: report?.state ?? null, estimate };
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
}

/** The retraining rule's settings and baseline policy, from the configuration. */
export function ruleContextOf(config: AppConfig): RuleContext {
  const settings: RuleSettings = {
    maxDropPp: config.EVAL_MAX_DROP_PP,
    minLabels: config.EVAL_MIN_LABELS,
    level: config.EVAL_CONFIDENCE_LEVEL,
    decisionLimit: config.EVAL_CUSUM_LIMIT,
  };
  return { settings, policy: config.EVAL_BASELINE_POLICY };
}
