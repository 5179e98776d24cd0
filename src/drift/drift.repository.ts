import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ModelVersionEntity } from '../models/model-version.entity';
import { DriftReferenceEntity } from './drift-reference.entity';
import { DriftReportEntity } from './drift-report.entity';

export interface LatestReportRow {
  modelName: string;
  version: string;
  role: string;
  modelVersionId: string;
  reportId: string | null;
  state: string | null;
  checkedAt: Date | null;
  signals: DriftReportEntity['signals'] | null;
}

@Injectable()
export class DriftRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Stores a reference and moves the model version to its edges, in the caller's transaction. */
  async saveReference(
    manager: EntityManager,
    reference: DriftReferenceEntity,
    version: Partial<ModelVersionEntity>,
  ): Promise<void> {
    await manager.insert(DriftReferenceEntity, reference);
    await manager.update(ModelVersionEntity, { id: reference.modelVersionId }, version);
  }

  latestReference(modelVersionId: string): Promise<DriftReferenceEntity | null> {
    return this.dataSource
      .getRepository(DriftReferenceEntity)
      .findOne({ where: { modelVersionId }, order: { createdAt: 'DESC' } });
  }

  latestReport(
    modelVersionId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<DriftReportEntity | null> {
    return manager
      .getRepository(DriftReportEntity)
      .findOne({ where: { modelVersionId }, order: { checkedAt: 'DESC' } });
  }

  /** Serialises checks of one model version (two replicas, or a manual and a scheduled check). */
  async lockModelVersion(manager: EntityManager, modelVersionId: string): Promise<void> {
    await manager.query('SELECT id FROM model_versions WHERE id = $1 FOR UPDATE', [modelVersionId]);
  }

  async setThreshold(modelVersionId: string, threshold: number | null): Promise<void> {
    await this.dataSource
      .getRepository(ModelVersionEntity)
      .update({ id: modelVersionId }, { driftThreshold: threshold });
  }

  /** Stores the report; false when this version already has one for the same check time. */
  async saveReport(manager: EntityManager, report: DriftReportEntity): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(DriftReportEntity)
      .values(report)
      .orIgnore() // uq_drift_reports_checked
      .returning('id')
      .execute();
    return result.raw.length > 0;
  }

  reportAt(manager: EntityManager, modelVersionId: string, checkedAt: Date): Promise<DriftReportEntity | null> {
    return manager.getRepository(DriftReportEntity).findOne({ where: { modelVersionId, checkedAt } });
  }

  /**
   * When the drift episode outstanding before `before` began: the first drifting check after the
   * last check that was neither drifting nor alerting (insufficient_data inside an episode keeps it).
   */
  async driftStartedAt(manager: EntityManager, modelVersionId: string, before: Date): Promise<Date | null> {
    const rows: Array<{ started: Date | null }> = await manager.query(
      `SELECT min(checked_at) AS started FROM drift_reports
        WHERE model_version_id = $1 AND state = 'drift' AND checked_at < $2
          AND checked_at > coalesce((SELECT max(checked_at) FROM drift_reports
                WHERE model_version_id = $1 AND checked_at < $2 AND state <> 'drift' AND NOT alerting),
              '-infinity')`,
      [modelVersionId, before],
    );
    return rows[0]?.started ?? null;
  }

  /** The newest report of every champion and challenger: one indexed lookup per version. */
  latestForActiveVersions(): Promise<LatestReportRow[]> {
    return this.dataSource.query(
      `SELECT v.name AS "modelName", v.version, v.role, v.id AS "modelVersionId",
              r.id AS "reportId", r.state, r.checked_at AS "checkedAt", r.signals
         FROM model_versions v
         LEFT JOIN LATERAL (
           SELECT id, state, checked_at, signals FROM drift_reports
            WHERE model_version_id = v.id ORDER BY checked_at DESC LIMIT 1
         ) r ON true
        WHERE v.role IN ('champion', 'challenger')
        ORDER BY v.name, v.role, v.version`,
    );
  }

  history(modelVersionId: string, from: Date, to: Date, limit: number): Promise<DriftReportEntity[]> {
    return this.dataSource
      .getRepository(DriftReportEntity)
      .createQueryBuilder('r')
      .where('r.model_version_id = :modelVersionId', { modelVersionId })
      .andWhere('r.checked_at >= :from AND r.checked_at < :to', { from, to })
      .orderBy('r.checked_at', 'DESC')
      .limit(limit)
      .getMany();
  }
}
