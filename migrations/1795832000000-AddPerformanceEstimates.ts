import { MigrationInterface, QueryRunner } from 'typeorm';

/** Calibrations, stored accuracy estimates and their weekly alert claim, label coverage, evaluation revisions (issue 16). */
export class AddPerformanceEstimates1795832000000 implements MigrationInterface {
  name = 'AddPerformanceEstimates1795832000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "calibrations" ("id" uuid NOT NULL, "model_version_id" uuid NOT NULL, "source" text NOT NULL, "window_from" TIMESTAMP WITH TIME ZONE, "window_to" TIMESTAMP WITH TIME ZONE, "n" integer NOT NULL, "correct" integer NOT NULL, "ece_before" double precision NOT NULL, "ece_after" double precision NOT NULL, "curve" jsonb NOT NULL, "points" jsonb NOT NULL, "parameters" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_862106016f7d55e70021555fd7d" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_calibrations_version_created" ON "calibrations" ("model_version_id", "created_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "performance_estimates" ("id" uuid NOT NULL, "model_version_id" uuid NOT NULL, "checked_at" TIMESTAMP WITH TIME ZONE NOT NULL, "window_from" TIMESTAMP WITH TIME ZONE NOT NULL, "window_to" TIMESTAMP WITH TIME ZONE NOT NULL, "n" integer NOT NULL, "accuracy" double precision, "lower" double precision, "upper" double precision, "reliable" boolean NOT NULL, "baseline_accuracy" double precision, "alerted" boolean NOT NULL, "detail" jsonb NOT NULL, CONSTRAINT "PK_548feeca8f69b8d171b799ba76b" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_performance_estimates_version_checked" ON "performance_estimates" ("model_version_id", "checked_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "estimated_drop_alerts" ("model_name" text NOT NULL, "iso_week" text NOT NULL, "estimate_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6e8b995419100565a7200cd6105" PRIMARY KEY ("model_name", "iso_week"))',
    );
    await queryRunner.query(
      'CREATE TABLE "label_coverage" ("model_version_id" uuid NOT NULL, "iso_week" text NOT NULL, "week_from" TIMESTAMP WITH TIME ZONE NOT NULL, "predictions" bigint NOT NULL, "labelled" bigint NOT NULL, "delay_seconds" jsonb, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_fa05bbdbd3447580ee67b611b1d" PRIMARY KEY ("model_version_id", "iso_week"))',
    );
    await queryRunner.query('ALTER TABLE "evaluations" ADD "revision_of" uuid');
    await queryRunner.query('ALTER TABLE "evaluations" ADD "revision" integer NOT NULL DEFAULT \'0\'');
    await queryRunner.query('ALTER TABLE "evaluations" ADD "estimate" jsonb');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "uq_evaluations_revision" ON "evaluations" ("revision_of", "revision") WHERE "revision_of" IS NOT NULL',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."uq_evaluations_revision"');
    await queryRunner.query('ALTER TABLE "evaluations" DROP COLUMN "estimate"');
    await queryRunner.query('ALTER TABLE "evaluations" DROP COLUMN "revision"');
    await queryRunner.query('ALTER TABLE "evaluations" DROP COLUMN "revision_of"');
    await queryRunner.query('DROP TABLE "label_coverage"');
    await queryRunner.query('DROP TABLE "estimated_drop_alerts"');
    await queryRunner.query('DROP INDEX "public"."ix_performance_estimates_version_checked"');
    await queryRunner.query('DROP TABLE "performance_estimates"');
    await queryRunner.query('DROP INDEX "public"."ix_calibrations_version_created"');
    await queryRunner.query('DROP TABLE "calibrations"');
  }
}
