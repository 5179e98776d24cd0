import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ExperimentDecisionEntity, ExperimentEntity } from './experiment.entity';

export interface ArmAccuracy {
  arm: string;
  n: number;
  correct: number;
}

export interface PairedAccuracy {
  n: number;
  championCorrect: number;
  challengerCorrect: number;
  championOnly: number;
  challengerOnly: number;
}

export interface ArmTraffic {
  arm: string;
  units: number;
  predictions: number;
  p95LatencyMs: number | null;
}

export interface ArmErrors {
  arm: string;
  errors: number;
}

type NewExperiment = Omit<ExperimentEntity, 'startedAt' | 'endedAt' | 'status' | 'outcome'>;
// The analyser stores its own decision time, so the answer and the stored row agree (issue 14.10).
type NewDecision = Omit<ExperimentDecisionEntity, 'decidedAt'> & { decidedAt?: Date };

/** Experiments, their decisions, and the aggregates over predictions and feedback they need. */
@Injectable()
export class ExperimentRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Throws the unique violation (23505) when the model already has a running experiment. */
  insert(experiment: NewExperiment): Promise<ExperimentEntity> {
    const repository = this.dataSource.getRepository(ExperimentEntity);
    return repository.save(repository.create({ ...experiment, status: 'running', outcome: null, endedAt: null }));
  }

  findById(id: string): Promise<ExperimentEntity | null> {
    return this.dataSource.getRepository(ExperimentEntity).findOneBy({ id });
  }

  running(modelName?: string): Promise<ExperimentEntity[]> {
    return this.dataSource
      .getRepository(ExperimentEntity)
      .findBy(modelName ? { modelName, status: 'running' } : { status: 'running' });
  }

  list(modelName: string): Promise<ExperimentEntity[]> {
    return this.dataSource.getRepository(ExperimentEntity).find({ where: { modelName }, order: { startedAt: 'DESC' } });
  }

  decisions(experimentId: string, limit: number): Promise<ExperimentDecisionEntity[]> {
    return this.dataSource
      .getRepository(ExperimentDecisionEntity)
      .find({ where: { experimentId }, order: { decidedAt: 'DESC' }, take: limit });
  }

  async saveDecision(decision: NewDecision, manager: EntityManager = this.dataSource.manager): Promise<void> {
    const repository = manager.getRepository(ExperimentDecisionEntity);
    await repository.save(repository.create(decision));
  }

  /**
   * Ends a running experiment in the caller's callback transaction; the row lock makes two
   * replicas analysing at once conclude it once. Returns false when it was no longer running.
   */
  async end(
    id: string,
    status: 'concluded' | 'stopped',
    outcome: string,
    inside: (manager: EntityManager) => Promise<void>,
  ): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const rows: unknown[] = await manager.query(
        `SELECT id FROM experiments WHERE id = $1 AND status = 'running' FOR UPDATE`,
        [id],
      );
      if (rows.length === 0) return false;
      await manager.update(ExperimentEntity, { id }, { status, outcome, endedAt: new Date() });
      await inside(manager);
      return true;
    });
  }

  /** The same swap as ModelVersionRepository.promote, inside the conclusion's transaction. */
  /** Labelled predictions per answering arm (split mode). */
  async armAccuracy(experiment: ExperimentEntity, until: Date): Promise<ArmAccuracy[]> {
    return this.dataSource.query(
      `SELECT role AS arm, count(*)::int AS n, (count(*) FILTER (WHERE predicted_class = label_class))::int AS correct
         FROM feedback
        WHERE model_version_id = ANY($1) AND role IN ('control', 'treatment')
          AND predicted_at >= $2 AND predicted_at < $3
        GROUP BY role`,
      [[experiment.championVersionId, experiment.challengerVersionId], experiment.startedAt, until],
    );
  }

  /** Champion answers with a label, paired with the shadow prediction on the same input and unit. */
  async pairedAccuracy(experiment: ExperimentEntity, until: Date): Promise<PairedAccuracy> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS n,
              (count(*) FILTER (WHERE l.predicted_class = l.label_class))::int AS "championCorrect",
              (count(*) FILTER (WHERE s.predicted_class = l.label_class))::int AS "challengerCorrect",
              (count(*) FILTER (WHERE l.predicted_class = l.label_class AND s.predicted_class <> l.label_class))::int
                AS "championOnly",
              (count(*) FILTER (WHERE l.predicted_class <> l.label_class AND s.predicted_class = l.label_class))::int
                AS "challengerOnly"
         FROM (SELECT f.predicted_class, f.label_class, p.input_hash, p.unit_id
                 FROM feedback f
                 JOIN predictions p ON p.id = f.prediction_id AND p.created_at = f.predicted_at
                WHERE f.model_version_id = $1 AND f.role = 'control'
                  AND f.predicted_at >= $3 AND f.predicted_at < $4) l
         JOIN LATERAL (SELECT predicted_class FROM predictions s
                        WHERE s.model_version_id = $2 AND s.role = 'shadow' AND s.input_hash = l.input_hash
                          AND s.unit_id = l.unit_id AND s.created_at >= $3
                        LIMIT 1) s ON true`,
      [experiment.championVersionId, experiment.challengerVersionId, experiment.startedAt, until],
    );
    return row;
  }

  /** Units, predictions and p95 latency per arm, for the SRM check and the latency guardrail. */
  async armTraffic(experiment: ExperimentEntity, until: Date): Promise<ArmTraffic[]> {
    const rows: Array<ArmTraffic & { p95LatencyMs: number | string | null }> = await this.dataSource.query(
      `SELECT role AS arm, count(DISTINCT unit_id)::int AS units, count(*)::int AS predictions,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) AS "p95LatencyMs"
         FROM predictions
        WHERE model_version_id = ANY($1) AND role IN ('control', 'treatment', 'shadow')
          AND created_at >= $2 AND created_at < $3
        GROUP BY role`,
      [[experiment.championVersionId, experiment.challengerVersionId], experiment.startedAt, until],
    );
    return rows.map((r) => ({ ...r, p95LatencyMs: r.p95LatencyMs === null ? null : Number(r.p95LatencyMs) }));
  }

  /** One failed inference on an arm: an additive upsert, so replicas never overwrite each other. */
  async addArmError(experimentId: string, arm: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO experiment_arm_errors (experiment_id, arm, errors, updated_at) VALUES ($1, $2, 1, now())
       ON CONFLICT (experiment_id, arm)
       DO UPDATE SET errors = experiment_arm_errors.errors + 1, updated_at = now()`,
      [experimentId, arm],
    );
  }

  async armErrors(experimentId: string): Promise<ArmErrors[]> {
    const rows: Array<{ arm: string; errors: string }> = await this.dataSource.query(
      'SELECT arm, errors FROM experiment_arm_errors WHERE experiment_id = $1',
      [experimentId],
    );
    return rows.map((r) => ({ arm: r.arm, errors: Number(r.errors) }));
  }
}
