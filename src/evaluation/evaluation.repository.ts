import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { EvaluationEntity, RetrainingRequestEntity } from './evaluation.entity';
import { isUniqueViolation } from '../infra/database/postgres-errors';
import type { RuleState } from './stats';

export type BaselinePolicy = 'promotion' | 'previous';

export interface LabelledPair {
  label: number;
  predicted: number;
}

@Injectable()
export class EvaluationRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Labels received for predictions the version made in [from, to). */
  feedbackPairs(modelVersionId: string, from: Date, to: Date): Promise<LabelledPair[]> {
    return this.dataSource.query(
      `SELECT label_class AS label, predicted_class AS predicted FROM feedback
        WHERE model_version_id = $1 AND predicted_at >= $2 AND predicted_at < $3`,
      [modelVersionId, from, to],
    );
  }

  /** Serialises rule updates of one model: each evaluation continues from the state the last one stored. */
  async lockModel(manager: EntityManager, modelName: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('evaluation-rule:' || $1))`, [modelName]);
  }

  /**
   * The rule state to continue from: the latest record of the source with a rule. 'promotion': the
   * version's own records since it became champion; 'previous': the model's, any version.
   */
  async previousRuleState(
    manager: EntityManager,
    version: { id: string; name: string; promotedAt: Date | null },
    source: string,
    policy: BaselinePolicy,
  ): Promise<RuleState | null> {
    const query = manager
      .getRepository(EvaluationEntity)
      .createQueryBuilder('e')
      .where('e.source = :source', { source })
      .andWhere('e.rule IS NOT NULL');
    if (policy === 'previous') query.andWhere('e.model_name = :name', { name: version.name });
    else {
      query
        .andWhere('e.model_version_id = :id', { id: version.id })
        .andWhere('e.created_at >= :since', { since: version.promotedAt ?? new Date(0) });
    }
    const latest = await query.orderBy('e.created_at', 'DESC').addOrderBy('e.id').getOne();
    return latest?.rule?.state ?? null;
  }

  /**
   * True when these labels were already counted by the rule: the same version and source over an
   * overlapping window (a set holds the same items whatever the window, so it counts once a version).
   */
  async alreadyCounted(
    manager: EntityManager,
    versionId: string,
    source: string,
    window: { from: Date; to: Date },
  ): Promise<boolean> {
    const [row] = await manager.query(
      `SELECT EXISTS (
         SELECT 1 FROM evaluations
          WHERE model_version_id = $1 AND source = $2 AND rule IS NOT NULL
            AND rule->>'decision' <> 'not_counted'
            AND (source LIKE 'set:%' OR (window_from < $4 AND window_to > $3))
       ) AS counted`,
      [versionId, source, window.from, window.to],
    );
    return row.counted === true;
  }

  /** False when the weekly row already exists (another replica or an earlier run). */
  async insert(manager: EntityManager, evaluations: EvaluationEntity[]): Promise<boolean> {
    try {
      await manager.query('SAVEPOINT evaluation_insert');
      await manager.insert(EvaluationEntity, evaluations);
      return true;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      await manager.query('ROLLBACK TO SAVEPOINT evaluation_insert');
      return false;
    }
  }

  /** Claims the model's retraining request for the week; false if one was already made. */
  async claimRetraining(manager: EntityManager, modelName: string, isoWeek: string, evaluationId: string) {
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(RetrainingRequestEntity)
      .values({ modelName, isoWeek, evaluationId })
      .orIgnore()
      .returning('model_name')
      .execute();
    return result.raw.length > 0;
  }

  async markRetraining(manager: EntityManager, evaluationId: string): Promise<void> {
    await manager.update(EvaluationEntity, { id: evaluationId }, { retrainingRequested: true });
  }

  history(modelName: string, limit: number): Promise<EvaluationEntity[]> {
    return this.dataSource
      .getRepository(EvaluationEntity)
      .find({ where: { modelName }, order: { createdAt: 'DESC' }, take: limit });
  }
}
