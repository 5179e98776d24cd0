import { ModelVersionEntity } from '../models/model-version.entity';
import { DriftReportEntity, SignalReport } from './drift-report.entity';
import { DriftState } from './stats';

interface DetailInput {
  state: DriftState;
  signals: SignalReport[];
  window: { from: Date; to: Date } | null;
  /** On-demand assessments: the range asked for, before it was widened to whole minutes. */
  requested?: { from: Date; to: Date };
  checkedAt: Date | null;
  stored: boolean;
  id?: string;
}

export function detailedView(model: ModelVersionEntity, input: DetailInput) {
  return {
    model: model.name,
    version: model.version,
    state: input.state,
    reportId: input.id ?? null,
    stored: input.stored,
    checkedAt: input.checkedAt,
    window: input.window,
    ...(input.requested && { requested: input.requested }),
    smoothing: { pseudocount: 0.5, units: 'nats', statistic: 'D_KL(current || reference)' },
    signals: input.signals,
  };
}

export function reportView(report: DriftReportEntity) {
  return {
    id: report.id,
    checkedAt: report.checkedAt,
    window: { from: report.windowFrom, to: report.windowTo },
    state: report.state,
    alerting: report.alerting,
    driftStreak: report.driftStreak,
    signals: report.signals.map((s) => ({
      signal: s.signal,
      state: s.state,
      kl: s.kl,
      threshold: s.threshold,
      expectedNullKl: s.expectedNullKl,
      pValue: s.pValue,
      nCurrent: s.nCurrent,
      nReference: s.nReference,
      counted: s.counted,
    })),
  };
}
