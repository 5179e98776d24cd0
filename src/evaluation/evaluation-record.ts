import { randomUUID } from 'node:crypto';
import { ModelVersionEntity } from '../models/model-version.entity';
import { EvaluationEntity, EvaluationKind } from './evaluation.entity';
import { LabelledPair } from './evaluation.repository';
import { applyRetrainingRule, RuleOutcome, RuleSettings, summarise, wilsonInterval } from './stats';

export interface EvaluationRun {
  kind: EvaluationKind;
  isoWeek: string;
  from: Date;
  to: Date;
  driftState: string | null;
}

export interface ScoredSource {
  source: string;
  pairs: LabelledPair[];
}

/** One source's evaluation record: accuracy, Wilson interval, per class, and the rule against the baseline. */
export function evaluationRecord(
  model: ModelVersionEntity,
  run: EvaluationRun,
  scored: ScoredSource,
  baseline: EvaluationEntity | null,
  settings: RuleSettings,
): { record: EvaluationEntity; rule: RuleOutcome | null } {
  const summary = summarise(scored.pairs, model.labels);
  const rule = baseline ? applyRetrainingRule(summary, { correct: baseline.correct, n: baseline.n }, settings) : null;
  const record: EvaluationEntity = {
    id: randomUUID(),
    modelVersionId: model.id,
    modelName: model.name,
    modelVersion: model.version,
    kind: run.kind,
    isoWeek: run.isoWeek,
    windowFrom: run.from,
    windowTo: run.to,
    source: scored.source,
    n: summary.n,
    correct: summary.correct,
    accuracy: summary.correct / summary.n,
    accuracyInterval: wilsonInterval(summary.correct, summary.n, settings.level),
    perClass: summary.perClass,
    confusion: summary.confusion,
    baselineEvaluationId: baseline?.id ?? null,
    baselineAccuracy: baseline?.accuracy ?? null,
    baselineN: baseline?.n ?? null,
    baselineCorrect: baseline?.correct ?? null,
    dropPp: rule?.dropPp ?? null,
    dropInterval: rule?.dropInterval ?? null,
    retrainingRequested: false,
    driftState: run.driftState,
    createdAt: new Date(),
  };
  return { record, rule };
}
