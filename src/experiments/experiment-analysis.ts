import { newcombeDifference } from '../evaluation/stats';
import { ExperimentEntity } from './experiment.entity';
import { ArmAccuracy, ArmErrors, ArmTraffic, PairedAccuracy } from './experiment.repository';
import {
  decide,
  DEFAULT_MIXTURE_VARIANCE,
  errorRateGuard,
  mcnemar,
  sampleRatioCheck,
  VARIANCE_PSEUDOCOUNT,
  Verdict,
} from './stats';

export const DECISION_METHOD = 'msprt-normal-mixture';

export type StoredVerdict = Verdict | 'held_srm' | 'held_guardrail';

export interface AnalysisInput {
  experiment: ExperimentEntity;
  accuracy: ArmAccuracy[] | PairedAccuracy;
  traffic: ArmTraffic[];
  errors: ArmErrors[];
  maxLatencyRatio: number;
  maxErrorRateIncrease: number;
}

export interface Analysis {
  verdict: StoredVerdict;
  method: string;
  parameters: Record<string, unknown>;
  counts: Record<string, number>;
  difference: number | null;
  lower: number | null;
  upper: number | null;
  checks: Record<string, unknown>;
}

/** Pure: the decision for one look at an experiment, with everything that justifies it. */
export function analyse(input: AnalysisInput): Analysis {
  const { experiment } = input;
  const arms = armsOf(input.accuracy);
  const rule = { level: experiment.confidenceLevel, minSamples: experiment.minSamples, margin: experiment.margin };
  const outcome = decide({ ...rule, ...arms, mixtureVariance: DEFAULT_MIXTURE_VARIANCE });
  const srm = srmOf(experiment, input.traffic);
  const latency = latencyGuardrail(input.traffic, input.maxLatencyRatio);
  const errorRate = errorRateGuardrail(input, experiment.minSamples);
  const heldBy = [...(latency.ok ? [] : ['latency']), ...(errorRate.ok ? [] : ['error_rate'])];
  const checks = {
    reason: outcome.reason,
    newcombe: newcombeOf(arms, experiment.confidenceLevel),
    mcnemar:
      'championOnly' in input.accuracy ? mcnemar(input.accuracy.championOnly, input.accuracy.challengerOnly) : null,
    srm,
    latency,
    errorRate,
    heldBy,
  };
  let verdict: StoredVerdict = outcome.verdict;
  // SRM holds every decision; the latency and error-rate guardrails hold a promotion only.
  if (verdict !== 'continue' && srm?.mismatch) verdict = 'held_srm';
  else if (verdict === 'challenger_better' && heldBy.length > 0) verdict = 'held_guardrail';
  return {
    verdict,
    method: DECISION_METHOD,
    parameters: {
      ...rule,
      mixtureVariance: DEFAULT_MIXTURE_VARIANCE,
      // The confidence sequence's variance (src/experiments/stats/README.md), stored with each decision.
      variance: `per-arm, +${VARIANCE_PSEUDOCOUNT} successes and +${VARIANCE_PSEUDOCOUNT} failures per arm`,
      mode: experiment.mode,
      maxLatencyRatio: input.maxLatencyRatio,
      maxErrorRateIncrease: input.maxErrorRateIncrease,
    },
    counts: {
      championN: arms.champion.n,
      championCorrect: arms.champion.correct,
      challengerN: arms.challenger.n,
      challengerCorrect: arms.challenger.correct,
    },
    difference: outcome.interval?.difference ?? null,
    lower: outcome.interval?.lower ?? null,
    upper: outcome.interval?.upper ?? null,
    checks,
  };
}

function armsOf(accuracy: ArmAccuracy[] | PairedAccuracy) {
  if (!Array.isArray(accuracy)) {
    return {
      champion: { n: accuracy.n, correct: accuracy.championCorrect },
      challenger: { n: accuracy.n, correct: accuracy.challengerCorrect },
    };
  }
  const arm = (name: string) => accuracy.find((a) => a.arm === name) ?? { n: 0, correct: 0 };
  const pick = (a: { n: number; correct: number }) => ({ n: a.n, correct: a.correct });
  return { champion: pick(arm('control')), challenger: pick(arm('treatment')) };
}

function newcombeOf(arms: ReturnType<typeof armsOf>, level: number) {
  if (arms.champion.n === 0 || arms.challenger.n === 0) return null;
  const { challenger: b, champion: a } = arms;
  return newcombeDifference(b.correct, b.n, a.correct, a.n, level);
}

/** Split mode only: in shadow mode every unit is answered by the champion, so there is no ratio. */
function srmOf(experiment: ExperimentEntity, traffic: ArmTraffic[]) {
  if (experiment.mode !== 'split') return null;
  const units = (arm: string) => traffic.find((t) => t.arm === arm)?.units ?? 0;
  return sampleRatioCheck(units('control'), units('treatment'), experiment.trafficShare / 100);
}

function latencyGuardrail(traffic: ArmTraffic[], maxRatio: number) {
  const champion = traffic.find((t) => t.arm === 'control')?.p95LatencyMs ?? null;
  const challenger = traffic.find((t) => t.arm !== 'control')?.p95LatencyMs ?? null;
  const ratio = champion && challenger !== null ? challenger / champion : null;
  return {
    championP95Ms: champion,
    challengerP95Ms: challenger,
    ratio,
    maxRatio,
    ok: ratio === null || ratio <= maxRatio,
  };
}

/** Champion: 'control'; challenger: 'treatment' (split) or 'shadow'. Requests = logged + failed. */
function errorRateGuardrail(input: AnalysisInput, minRequests: number) {
  const challengerArm = input.experiment.mode === 'shadow' ? 'shadow' : 'treatment';
  const outcomes = (arm: string) => ({
    errors: input.errors.find((e) => e.arm === arm)?.errors ?? 0,
    predictions: input.traffic.find((t) => t.arm === arm)?.predictions ?? 0,
  });
  return errorRateGuard({
    champion: outcomes('control'),
    challenger: outcomes(challengerArm),
    maxIncrease: input.maxErrorRateIncrease,
    minRequests,
  });
}
