import { Interval, newcombeDifference, wilsonInterval } from './intervals';

export interface Proportion {
  correct: number;
  n: number;
}

/**
 * Reference value k and decision limit h of the CUSUM, and the one-observation (Shewhart) limit.
 * k = 0.5 is Page's choice for a shift of one standard error per observation. h = 6 and z > 4 give,
 * simulated (retraining-simulation.spec.ts, README "Evaluation"), about 1 false trigger per 40
 * model-years at 1,000 labels a week and at most 1 per 22 for accuracies up to 0.99 with >= 500
 * labels per observation; the Shewhart limit (one-sided p = 3.2e-5) lets a large drop fire at once.
 */
export const CUSUM_REFERENCE_K = 0.5;
export const CUSUM_DECISION_H = 6;
export const SHEWHART_LIMIT_Z = 4;
export const RULE_NAME = 'self-starting-cusum';

export interface RuleSettings {
  /** The size of drop that matters, in percentage points: a signal below it is dismissed. */
  maxDropPp: number;
  /** Labels one observation needs; smaller evaluations are carried forward into the next. */
  minLabels: number;
  /** Level of the reported intervals. */
  level: number;
  decisionLimit: number;
}

export interface RuleCounts extends Proportion {
  observations: number;
  sinceEvaluationId: string | null;
}

/** Everything the next evaluation of the same model and source needs; stored with each record. */
export interface RuleState {
  /** Pooled observations of the epoch (since promotion or the last trigger) before this one. */
  baseline: RuleCounts;
  /** The baseline as it was when the current run of evidence started (the change-point estimate). */
  preRun: Proportion;
  /** Observations since the CUSUM last left zero. */
  run: RuleCounts;
  /** Labels below minLabels, waiting to join the next observation of the same model version. */
  pending: Proportion & { versionId?: string };
  statistic: number;
}

export type RuleDecision =
  | 'fired'
  | 'dismissed_below_threshold'
  | 'evidence_accumulating'
  | 'no_evidence'
  | 'baseline'
  | 'insufficient_labels'
  | 'not_counted';

export interface RuleOutcome {
  rule: typeof RULE_NAME;
  parameters: { k: number; h: number; shewhartZ: number; maxDropPp: number; minLabels: number; level: number };
  decision: RuleDecision;
  triggered: boolean;
  reason: string;
  /** The observation tested: this evaluation plus labels carried from earlier small ones. */
  observation: Proportion | null;
  baseline: (RuleCounts & { accuracy: number; interval: Interval }) | null;
  /** Standardised drop of the observation against the baseline (positive = worse). */
  z: number | null;
  /** CUSUM after this observation, and the limit it is compared with. */
  statistic: number;
  threshold: number;
  /** Baseline minus observation, percentage points, with a Newcombe interval. */
  dropPp: number | null;
  dropInterval: Interval | null;
  /** Drop since the estimated change point (baseline before the run vs the run), which the gate reads. */
  changeEstimate: {
    dropPp: number;
    interval: Interval;
    sinceEvaluationId: string | null;
    n: number;
    baselineAccuracy: number;
    baselineN: number;
  } | null;
  state: RuleState;
}

const EMPTY: Proportion = { correct: 0, n: 0 };

export function emptyRuleState(): RuleState {
  return {
    baseline: { ...EMPTY, observations: 0, sinceEvaluationId: null },
    preRun: { ...EMPTY },
    run: { ...EMPTY, observations: 0, sinceEvaluationId: null },
    pending: { ...EMPTY },
    statistic: 0,
  };
}

const add = (a: Proportion, b: Proportion): Proportion => ({ correct: a.correct + b.correct, n: a.n + b.n });

/**
 * Pooled two-proportion z for "the second accuracy is lower", as statsmodels proportions_ztest
 * with alternative 'larger' on (baseline, current). 0 when every label agrees (no variance).
 */
export function dropZ(baseline: Proportion, current: Proportion): number {
  const pooled = (baseline.correct + current.correct) / (baseline.n + current.n);
  const variance = pooled * (1 - pooled) * (1 / baseline.n + 1 / current.n);
  if (!(variance > 0)) return 0;
  return (baseline.correct / baseline.n - current.correct / current.n) / Math.sqrt(variance);
}

function dropOf(baseline: Proportion, current: Proportion, level: number): { dropPp: number; interval: Interval } {
  const d = newcombeDifference(baseline.correct, baseline.n, current.correct, current.n, level);
  return { dropPp: d.difference * 100, interval: { lower: d.lower * 100, upper: d.upper * 100, level } };
}

/**
 * One step of the retraining rule: a self-starting CUSUM (Hawkins 1987) of standardised drops.
 * Each observation (>= minLabels labels) is compared with the pooled accuracy of the epoch's earlier
 * observations; S = max(0, S + z - k). A signal is S > h, or z > 4 on one observation. A signal fires
 * only if the drop since the estimated change point (where S last left zero) exceeds maxDropPp;
 * otherwise it is dismissed and S restarts, so drops too small to matter never accumulate into a
 * trigger at high label volumes. After firing, the epoch restarts with this observation as baseline.
 */
export function stepRetrainingRule(
  previous: RuleState | null,
  evaluation: Proportion & { evaluationId: string; versionId?: string },
  counted: boolean,
  settings: RuleSettings,
): RuleOutcome {
  const prior = carryAcrossVersions(previous ?? emptyRuleState(), evaluation.versionId);
  const outcome = (decision: RuleDecision, reason: string, state: RuleState, extra: Partial<RuleOutcome> = {}) =>
    ({
      rule: RULE_NAME,
      parameters: parametersOf(settings),
      decision,
      triggered: decision === 'fired',
      reason,
      observation: null,
      baseline: baselineView(prior.baseline, settings.level),
      z: null,
      statistic: state.statistic,
      threshold: settings.decisionLimit,
      dropPp: null,
      dropInterval: null,
      changeEstimate: null,
      state,
      ...extra,
    }) satisfies RuleOutcome;

  if (!counted) return outcome('not_counted', 'repeats labels an earlier evaluation already counted', prior);
  const observation = add(prior.pending, evaluation);
  if (observation.n < settings.minLabels) {
    const state = { ...prior, pending: { ...observation, versionId: evaluation.versionId } };
    return outcome('insufficient_labels', `${observation.n} labels carried forward (< ${settings.minLabels})`, state);
  }
  const since = evaluation.evaluationId;
  if (prior.baseline.n === 0) {
    const state = { ...emptyRuleState(), baseline: { ...observation, observations: 1, sinceEvaluationId: since } };
    return outcome('baseline', `first observation of the epoch: ${observation.n} labels become the baseline`, state, {
      observation,
      baseline: null,
    });
  }
  const z = dropZ(prior.baseline, observation);
  const statistic = Math.max(0, prior.statistic + z - CUSUM_REFERENCE_K);
  const starting = prior.statistic === 0;
  const preRun = starting ? { correct: prior.baseline.correct, n: prior.baseline.n } : prior.preRun;
  const run: RuleCounts = starting
    ? { ...observation, observations: 1, sinceEvaluationId: since }
    : {
        ...add(prior.run, observation),
        observations: prior.run.observations + 1,
        sinceEvaluationId: prior.run.sinceEvaluationId,
      };
  const change = dropOf(preRun, run, settings.level);
  const week = dropOf(prior.baseline, observation, settings.level);
  const extra: Partial<RuleOutcome> = {
    observation,
    z,
    dropPp: week.dropPp,
    dropInterval: week.interval,
    changeEstimate: {
      ...change,
      sinceEvaluationId: run.sinceEvaluationId,
      n: run.n,
      baselineAccuracy: preRun.correct / preRun.n,
      baselineN: preRun.n,
    },
  };
  const signal = statistic > settings.decisionLimit || z > SHEWHART_LIMIT_Z;
  const evidence = `CUSUM ${statistic.toFixed(2)} (limit ${settings.decisionLimit}), z ${z.toFixed(2)} (limit ${SHEWHART_LIMIT_Z})`;
  const estimate = `drop since the change point ${change.dropPp.toFixed(2)} pp over ${run.n} labels`;
  if (signal && change.dropPp > settings.maxDropPp) {
    const state = { ...emptyRuleState(), baseline: { ...observation, observations: 1, sinceEvaluationId: since } };
    return outcome('fired', `${evidence}: evidence of a drop; ${estimate} exceeds ${settings.maxDropPp} pp`, state, {
      ...extra,
      statistic,
    });
  }
  const baseline: RuleCounts = {
    ...add(prior.baseline, observation),
    observations: prior.baseline.observations + 1,
    sinceEvaluationId: prior.baseline.sinceEvaluationId,
  };
  if (signal) {
    const state = { ...emptyRuleState(), baseline };
    const reason = `${evidence}: evidence of a drop, but ${estimate} is within ${settings.maxDropPp} pp; CUSUM restarts`;
    return outcome('dismissed_below_threshold', reason, state, { ...extra, statistic });
  }
  const state: RuleState = { baseline, preRun, run, pending: { ...EMPTY }, statistic };
  if (statistic === 0) {
    return outcome('no_evidence', `${evidence}: no evidence of a drop`, { ...state, run: emptyRuleState().run }, extra);
  }
  return outcome('evidence_accumulating', `${evidence}: below the limit; ${estimate}`, state, extra);
}

/**
 * Labels carried from another version (baseline policy 'previous' chains versions) are that
 * version's evidence: they join the baseline rather than the new version's observation.
 */
function carryAcrossVersions(state: RuleState, versionId: string | undefined): RuleState {
  if (state.pending.n === 0 || state.pending.versionId === versionId) return state;
  const pending = { correct: state.pending.correct, n: state.pending.n };
  return {
    ...state,
    baseline: {
      ...add(state.baseline, pending),
      observations: state.baseline.observations + 1,
      sinceEvaluationId: state.baseline.sinceEvaluationId,
    },
    pending: { ...EMPTY },
  };
}

function parametersOf(settings: RuleSettings): RuleOutcome['parameters'] {
  return {
    k: CUSUM_REFERENCE_K,
    h: settings.decisionLimit,
    shewhartZ: SHEWHART_LIMIT_Z,
    maxDropPp: settings.maxDropPp,
    minLabels: settings.minLabels,
    level: settings.level,
  };
}

function baselineView(baseline: RuleCounts, level: number): RuleOutcome['baseline'] {
  if (baseline.n === 0) return null;
  return {
    ...baseline,
    accuracy: baseline.correct / baseline.n,
    interval: wilsonInterval(baseline.correct, baseline.n, level),
  };
}

/** What an evaluation record stores: the outcome, with the state the next evaluation continues from. */
export type StoredRuleOutcome = RuleOutcome;
