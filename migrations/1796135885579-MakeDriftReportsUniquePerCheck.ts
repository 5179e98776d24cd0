import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One drift report per model version and check time: a scheduled check (version + time slot) runs
 * once even when its job is enqueued twice or retried. Replaces the plain index on the same columns.
 */
export class MakeDriftReportsUniquePerCheck1796135885579 implements MigrationInterface {
  name = 'MakeDriftReportsUniquePerCheck1796135885579';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Reports stored twice for one check before this constraint existed: keep one of each.
    await queryRunner.query(
      `DELETE FROM "drift_reports" r USING "drift_reports" d
        WHERE r."model_version_id" = d."model_version_id" AND r."checked_at" = d."checked_at" AND r."id" > d."id"`,
    );
    await queryRunner.query('DROP INDEX "public"."ix_drift_reports_version_checked"');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "uq_drift_reports_checked" ON "drift_reports" ("model_version_id", "checked_at") ',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."uq_drift_reports_checked"');
    await queryRunner.query(
      'CREATE INDEX "ix_drift_reports_version_checked" ON "drift_reports" ("model_version_id", "checked_at") ',
    );
  }
}
