import { ModelVersionEntity } from '../models/model-version.entity';
import type { WindowEstimate } from '../performance/window-estimate';
import { EvaluationEntity, EvaluationKind } from './evaluation.entity';
import { LabelledPair } from './evaluation.repository';
import { ClassificationSummary, Proportion, RuleOutcome, summarise, wilsonInterval } from './stats';

export interface EvaluationRun {
  kind: EvaluationKind;
  isoWeek: string;
  from: Date;
  to: Date;
  driftState: string | null;
  /** Accuracy estimated from the window's confidence histograms (null without a calibration). */
  estimate?: WindowEstimate | null;
}

export interface ScoredSource {
  source: string;
  pairs: LabelledPair[];
}

/**
 * A week re-evaluated after late labels: the record it revises and the labels that arrived since
 * the last record of the week, which are all the rule sees (README "Late labels").
 */
export interface Revision {
  of: string;
  number: number;
  observation: Proportion;
  counted: boolean;
}

export type SourceSummary = ClassificationSummary & { source: string; revision?: Revision };

export const summariseSource = (model: ModelVersionEntity, scored: ScoredSource): SourceSummary => ({
  ...summarise(scored.pairs, model.labels),
  source: scored.source,
});

/** One source's evaluation record: accuracy, Wilson interval, per class, and the rule's outcome. */
export function evaluationRecord(
  id: string,
  model: ModelVersionEntity,
  run: EvaluationRun,
  summary: SourceSummary,
  rule: RuleOutcome,
  level: number,
): EvaluationEntity {
  const baseline = rule.baseline;
  return {
    id,
    modelVersionId: model.id,
    modelName: model.name,
    modelVersion: model.version,
    kind: run.kind,
    isoWeek: run.isoWeek,
    windowFrom: run.from,
    windowTo: run.to,
    source: summary.source,
    n: summary.n,
    correct: summary.correct,
    accuracy: summary.correct / summary.n,
    accuracyInterval: wilsonInterval(summary.correct, summary.n, level),
    perClass: summary.perClass,
    confusion: summary.confusion,
    baselineEvaluationId: baseline?.sinceEvaluationId ?? null,
    baselineAccuracy: baseline?.accuracy ?? null,
    baselineN: baseline?.n ?? null,
    baselineCorrect: baseline?.correct ?? null,
    dropPp: rule.dropPp,
    dropInterval: rule.dropInterval,
    retrainingRequested: false,
    driftState: run.driftState,
    rule,
    revisionOf: summary.revision?.of ?? null,
    revision: summary.revision?.number ?? 0,
    estimate: run.estimate ?? null,
    createdAt: new Date(),
  };
}
