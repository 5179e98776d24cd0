import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** One signal of the latest drift report of an active version (signal null: a report without signals). */
export interface DriftSignalRow {
  model: string;
  version: string;
  overallState: string;
  checkedAt: Date;
  signal: string | null;
  state: string | null;
  kl: number | null;
  threshold: number | null;
}

export interface AccuracyRow {
  model: string;
  version: string;
  source: string;
  accuracy: number;
  n: number;
  evaluatedAt: Date;
  /** The retraining rule's pooled baseline at that evaluation (null for the first). */
  baselineAccuracy: number | null;
}

/** The newest stored accuracy estimate of an active version (README "Estimated accuracy"). */
export interface EstimateRow {
  model: string;
  version: string;
  accuracy: number | null;
  lower: number | null;
  upper: number | null;
  n: number;
  reliable: boolean;
  baselineAccuracy: number | null;
}

/** Label coverage and delay of one recent ISO week of an active version. */
export interface LabelWeekRow {
  model: string;
  version: string;
  week: string;
  predictions: number;
  labelled: number;
  delaySeconds: { p50: number; p90: number; p99: number; max: number } | null;
}

export interface RunningExperimentRow {
  model: string;
  key: string;
  mode: string;
  champion: string;
  challenger: string;
  verdict: string | null;
  decidedAt: Date | null;
}

export interface ArmCountRow {
  model: string;
  arm: string;
  predictions: number;
  labelled: number;
}

export interface ModelRoleRow {
  model: string;
  version: string;
  role: string;
}

export interface StoredState {
  models: ModelRoleRow[];
  drift: DriftSignalRow[];
  accuracy: AccuracyRow[];
  estimates: EstimateRow[];
  labelWeeks: LabelWeekRow[];
  experiments: RunningExperimentRow[];
  arms: ArmCountRow[];
  pendingWebhooks: number;
}

export const EMPTY_STORED_STATE: StoredState = {
  models: [],
  drift: [],
  accuracy: [],
  estimates: [],
  labelWeeks: [],
  experiments: [],
  arms: [],
  pendingWebhooks: 0,
};

/**
 * What /metrics reports from Postgres, so every API replica and worker agrees. Only champions,
 * challengers and running experiments: retired versions and ended experiments leave the metrics.
 */
@Injectable()
export class StoredStateRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Sequential on purpose: a scrape holds one pooled connection at a time, never several. */
  async read(): Promise<StoredState> {
    const models: ModelRoleRow[] = await this.dataSource.query(
      `SELECT name AS model, version, role FROM model_versions WHERE role IN ('champion', 'challenger')`,
    );
    const drift = await this.latestDrift();
    const accuracy = await this.latestAccuracy();
    const estimates = await this.latestEstimates();
    const labelWeeks = await this.labelWeeks();
    const experiments = await this.runningExperiments();
    const arms = await this.armCounts();
    const [{ pending }] = await this.dataSource.query(
      `SELECT count(*)::float8 AS pending FROM webhook_deliveries WHERE status = 'pending'`,
    );
    return { models, drift, accuracy, estimates, labelWeeks, experiments, arms, pendingWebhooks: pending };
  }

  /** Only the fields metrics need are pulled out of the report's jsonb (not its histograms). */
  private latestDrift(): Promise<DriftSignalRow[]> {
    return this.dataSource.query(
      `SELECT v.name AS model, v.version, r.state AS "overallState", r.checked_at AS "checkedAt",
              s->>'signal' AS signal, s->>'state' AS state,
              (s->>'kl')::float8 AS kl, (s->>'threshold')::float8 AS threshold
         FROM model_versions v
         JOIN LATERAL (
           SELECT state, checked_at, signals FROM drift_reports
            WHERE model_version_id = v.id ORDER BY checked_at DESC LIMIT 1
         ) r ON true
         LEFT JOIN LATERAL jsonb_array_elements(r.signals) s ON true
        WHERE v.role IN ('champion', 'challenger')`,
    );
  }

  /** The latest evaluation (weekly or manual) of each active version and source. */
  private latestAccuracy(): Promise<AccuracyRow[]> {
    return this.dataSource.query(
      `SELECT DISTINCT ON (e.model_version_id, e.source)
              v.name AS model, v.version, e.source, e.accuracy, e.n, e.created_at AS "evaluatedAt",
              e.baseline_accuracy AS "baselineAccuracy"
         FROM evaluations e
         JOIN model_versions v ON v.id = e.model_version_id
        WHERE v.role IN ('champion', 'challenger')
        ORDER BY e.model_version_id, e.source, e.created_at DESC`,
    );
  }

  /** One indexed lookup per active version: its newest stored estimate. */
  private latestEstimates(): Promise<EstimateRow[]> {
    return this.dataSource.query(
      `SELECT v.name AS model, v.version, e.accuracy, e.lower, e.upper, e.n, e.reliable,
              e.baseline_accuracy AS "baselineAccuracy"
         FROM model_versions v
         JOIN LATERAL (
           SELECT accuracy, lower, upper, n, reliable, baseline_accuracy FROM performance_estimates
            WHERE model_version_id = v.id ORDER BY checked_at DESC LIMIT 1
         ) e ON true
        WHERE v.role IN ('champion', 'challenger')`,
    );
  }

  /** The last 8 ISO weeks measured by the late-label check (LATE_LABEL_WEEKS), per active version. */
  private labelWeeks(): Promise<LabelWeekRow[]> {
    return this.dataSource.query(
      `SELECT v.name AS model, v.version, c.iso_week AS week, c.predictions::float8 AS predictions,
              c.labelled::float8 AS labelled, c.delay_seconds AS "delaySeconds"
         FROM model_versions v
         JOIN label_coverage c ON c.model_version_id = v.id AND c.week_from >= now() - interval '8 weeks'
        WHERE v.role IN ('champion', 'challenger')`,
    );
  }

  private runningExperiments(): Promise<RunningExperimentRow[]> {
    return this.dataSource.query(
      `SELECT x.model_name AS model, x.key, x.mode, c.version AS champion, h.version AS challenger,
              d.verdict, d.decided_at AS "decidedAt"
         FROM experiments x
         JOIN model_versions c ON c.id = x.champion_version_id
         JOIN model_versions h ON h.id = x.challenger_version_id
         LEFT JOIN LATERAL (
           SELECT verdict, decided_at FROM experiment_decisions
            WHERE experiment_id = x.id ORDER BY decided_at DESC LIMIT 1
         ) d ON true
        WHERE x.status = 'running'`,
    );
  }

  /**
   * Logged and labelled predictions per arm since the experiment started. Each count is one
   * range of the (model_version_id, created_at) index: control is the champion's, treatment
   * and shadow the challenger's.
   */
  private armCounts(): Promise<ArmCountRow[]> {
    return this.dataSource.query(
      `SELECT x.model_name AS model, a.arm,
              (SELECT count(*) FROM predictions p
                WHERE p.model_version_id = a.version_id AND p.created_at >= x.started_at AND p.role = a.arm
              )::float8 AS predictions,
              (SELECT count(*) FROM feedback f
                WHERE f.model_version_id = a.version_id AND f.predicted_at >= x.started_at AND f.role = a.arm
              )::float8 AS labelled
         FROM experiments x
         CROSS JOIN LATERAL (VALUES
           ('control', x.champion_version_id),
           (CASE WHEN x.mode = 'shadow' THEN 'shadow' ELSE 'treatment' END, x.challenger_version_id)
         ) a(arm, version_id)
        WHERE x.status = 'running'`,
    );
  }
}
