import { ModelVersionEntity } from '../models/model-version.entity';
import { CalibrationEntity } from './calibration.entity';
import { PerformanceEstimateEntity } from './performance-estimate.entity';

/** A calibration without its points (they stay in the database for the bootstrap). */
export function calibrationView(version: ModelVersionEntity, c: CalibrationEntity) {
  return {
    id: c.id,
    model: version.name,
    version: version.version,
    source: c.source,
    window: c.windowFrom && c.windowTo ? { from: c.windowFrom, to: c.windowTo } : null,
    n: c.n,
    correct: c.correct,
    accuracy: c.correct / c.n,
    eceBefore: c.eceBefore,
    eceAfter: c.eceAfter,
    parameters: c.parameters,
    curve: c.curve,
    createdAt: c.createdAt,
  };
}

export function estimateRecordView(e: PerformanceEstimateEntity) {
  return {
    id: e.id,
    checkedAt: e.checkedAt,
    window: { from: e.windowFrom, to: e.windowTo },
    n: e.n,
    accuracy: e.accuracy,
    lower: e.lower,
    upper: e.upper,
    reliable: e.reliable,
    reason: e.detail.reason,
    baselineAccuracy: e.baselineAccuracy,
    alerted: e.alerted,
  };
}
