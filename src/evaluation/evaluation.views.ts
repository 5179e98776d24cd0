import { EvaluationEntity } from './evaluation.entity';
import type { StoredRuleOutcome } from './stats';

/** The API shape of an evaluation record: everything that went in and came out. */
export function evaluationView(e: EvaluationEntity) {
  return {
    id: e.id,
    model: e.modelName,
    version: e.modelVersion,
    kind: e.kind,
    isoWeek: e.isoWeek,
    window: { from: e.windowFrom, to: e.windowTo },
    source: e.source,
    n: e.n,
    correct: e.correct,
    accuracy: e.accuracy,
    accuracyInterval: e.accuracyInterval,
    perClass: e.perClass,
    confusion: e.confusion,
    baseline:
      e.baselineAccuracy === null
        ? null
        : {
            evaluationId: e.baselineEvaluationId,
            accuracy: e.baselineAccuracy,
            n: e.baselineN,
            correct: e.baselineCorrect,
          },
    dropPp: e.dropPp,
    dropInterval: e.dropInterval,
    retrainingRequested: e.retrainingRequested,
    driftState: e.driftState,
    rule: e.rule ? ruleView(e.rule) : null,
    revisionOf: e.revisionOf,
    revision: e.revision,
    estimate: e.estimate,
    createdAt: e.createdAt,
  };
}

/** The rule's outcome without its carried state (which only the next evaluation reads). */
function ruleView({ state, ...outcome }: StoredRuleOutcome) {
  return { ...outcome, carriedLabels: state.pending.n };
}
