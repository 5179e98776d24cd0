import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateDriftTables1795819333222 implements MigrationInterface {
  name = 'CreateDriftTables1795819333222';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "drift_references" ("id" uuid NOT NULL, "model_version_id" uuid NOT NULL, "source" text NOT NULL, "window_from" TIMESTAMP WITH TIME ZONE, "window_to" TIMESTAMP WITH TIME ZONE, "sample_count" integer NOT NULL, "edges_version" integer NOT NULL, "histograms" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c99e16842a8417ead9cc897c33b" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_drift_references_version_created" ON "drift_references" ("model_version_id", "created_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "drift_reports" ("id" uuid NOT NULL, "model_version_id" uuid NOT NULL, "reference_id" uuid, "checked_at" TIMESTAMP WITH TIME ZONE NOT NULL, "window_from" TIMESTAMP WITH TIME ZONE NOT NULL, "window_to" TIMESTAMP WITH TIME ZONE NOT NULL, "state" text NOT NULL, "drift_streak" integer NOT NULL, "alerting" boolean NOT NULL, "signals" jsonb NOT NULL, CONSTRAINT "PK_febab9f861125f0993b192bef3a" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_drift_reports_version_checked" ON "drift_reports" ("model_version_id", "checked_at") ',
    );
    await queryRunner.query('ALTER TABLE "model_versions" ADD "drift_threshold" real');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "model_versions" DROP COLUMN "drift_threshold"');
    await queryRunner.query('DROP INDEX "public"."ix_drift_reports_version_checked"');
    await queryRunner.query('DROP TABLE "drift_reports"');
    await queryRunner.query('DROP INDEX "public"."ix_drift_references_version_created"');
    await queryRunner.query('DROP TABLE "drift_references"');
  }
}
