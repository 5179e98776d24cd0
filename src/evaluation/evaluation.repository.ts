import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { EvaluationEntity, RetrainingRequestEntity } from './evaluation.entity';
import { isUniqueViolation } from '../infra/database/postgres-errors';

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

  /**
   * 'promotion': the version's first evaluation of this source since it became champion (or ever,
   * if never promoted). 'previous': the model's latest evaluation of this source, any version.
   */
  baseline(
    version: { id: string; name: string; promotedAt: Date | null },
    source: string,
    policy: BaselinePolicy,
  ): Promise<EvaluationEntity | null> {
    const query = this.dataSource
      .getRepository(EvaluationEntity)
      .createQueryBuilder('e')
      .where('e.source = :source', { source });
    if (policy === 'previous') {
      return query.andWhere('e.model_name = :name', { name: version.name }).orderBy('e.created_at', 'DESC').getOne();
    }
    return query
      .andWhere('e.model_version_id = :id', { id: version.id })
      .andWhere('e.created_at >= :since', { since: version.promotedAt ?? new Date(0) })
      .orderBy('e.created_at', 'ASC')
      .getOne();
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
