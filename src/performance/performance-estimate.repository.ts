import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  EstimatedDropAlertEntity,
  LabelCoverageEntity,
  PerformanceEstimateEntity,
} from './performance-estimate.entity';

/** Stored estimates, the weekly claim of performance.estimated_drop, and label coverage snapshots. */
@Injectable()
export class PerformanceEstimateRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async insert(manager: EntityManager, estimate: PerformanceEstimateEntity): Promise<void> {
    await manager.insert(PerformanceEstimateEntity, estimate);
  }

  /** Claims the model's estimated-drop alert for the week; false if one was already sent. */
  async claimAlert(manager: EntityManager, modelName: string, isoWeek: string, estimateId: string): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(EstimatedDropAlertEntity)
      .values({ modelName, isoWeek, estimateId })
      .orIgnore()
      .returning('model_name')
      .execute();
    return result.raw.length > 0;
  }

  async markAlerted(manager: EntityManager, id: string): Promise<void> {
    await manager.update(PerformanceEstimateEntity, { id }, { alerted: true });
  }

  /** The newest stored estimate of each of these versions (drift status): one indexed lookup each. */
  async latestOf(modelVersionIds: string[]): Promise<Map<string, PerformanceEstimateEntity>> {
    const repository = this.dataSource.getRepository(PerformanceEstimateEntity);
    const latest = await Promise.all(
      modelVersionIds.map((modelVersionId) =>
        repository.findOne({ where: { modelVersionId }, order: { checkedAt: 'DESC' } }),
      ),
    );
    return new Map(latest.filter((e) => e !== null).map((e) => [e.modelVersionId, e]));
  }

  history(modelVersionId: string, from: Date, to: Date, limit: number): Promise<PerformanceEstimateEntity[]> {
    return this.dataSource
      .getRepository(PerformanceEstimateEntity)
      .createQueryBuilder('e')
      .where('e.model_version_id = :modelVersionId', { modelVersionId })
      .andWhere('e.checked_at >= :from AND e.checked_at < :to', { from, to })
      .orderBy('e.checked_at', 'DESC')
      .limit(limit)
      .getMany();
  }

  async saveCoverage(rows: Array<Omit<LabelCoverageEntity, 'updatedAt'>>): Promise<void> {
    if (rows.length === 0) return;
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(LabelCoverageEntity)
      .values(rows)
      .orUpdate(
        ['week_from', 'predictions', 'labelled', 'delay_seconds', 'updated_at'],
        ['model_version_id', 'iso_week'],
      )
      .execute();
  }
}
