import { ExperimentDecisionEntity, ExperimentEntity } from './experiment.entity';
import { Analysis } from './experiment-analysis';

export function experimentView(e: ExperimentEntity) {
  return {
    id: e.id,
    key: e.key,
    model_name: e.modelName,
    champion_version_id: e.championVersionId,
    challenger_version_id: e.challengerVersionId,
    mode: e.mode,
    traffic_share: e.trafficShare,
    confidence_level: e.confidenceLevel,
    min_samples: e.minSamples,
    margin: e.margin,
    status: e.status,
    outcome: e.outcome,
    started_at: e.startedAt.toISOString(),
    ended_at: e.endedAt?.toISOString() ?? null,
  };
}

export function decisionView(d: ExperimentDecisionEntity | (Analysis & { decidedAt: Date | null })) {
  return {
    verdict: d.verdict,
    method: d.method,
    parameters: d.parameters,
    counts: d.counts,
    difference: d.difference,
    interval: d.lower === null || d.upper === null ? null : { lower: d.lower, upper: d.upper },
    checks: d.checks,
    decided_at: d.decidedAt?.toISOString() ?? null,
  };
}
