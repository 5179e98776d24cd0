import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateExperimentTables1795822745123 implements MigrationInterface {
  name = 'CreateExperimentTables1795822745123';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "experiments" ("id" uuid NOT NULL, "key" text NOT NULL, "model_name" text NOT NULL, "champion_version_id" uuid NOT NULL, "challenger_version_id" uuid NOT NULL, "mode" text NOT NULL, "traffic_share" double precision NOT NULL, "confidence_level" double precision NOT NULL, "min_samples" integer NOT NULL, "margin" double precision NOT NULL, "status" text NOT NULL, "outcome" text, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "ended_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_01bf6d8c44927363c7ed5673fe0" UNIQUE ("key"), CONSTRAINT "PK_aafe1321d916fac58ba06ad8178" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "ux_experiments_running_model" ON "experiments" ("model_name") WHERE status = \'running\'',
    );
    await queryRunner.query(
      'CREATE TABLE "experiment_decisions" ("id" uuid NOT NULL, "experiment_id" uuid NOT NULL, "decided_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "verdict" text NOT NULL, "method" text NOT NULL, "parameters" jsonb NOT NULL, "counts" jsonb NOT NULL, "difference" double precision, "lower" double precision, "upper" double precision, "checks" jsonb NOT NULL, CONSTRAINT "PK_04a4516692a58206b5bb4483cb3" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_experiment_decisions_experiment" ON "experiment_decisions" ("experiment_id", "decided_at") ',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."ix_experiment_decisions_experiment"');
    await queryRunner.query('DROP TABLE "experiment_decisions"');
    await queryRunner.query('DROP INDEX "public"."ux_experiments_running_model"');
    await queryRunner.query('DROP TABLE "experiments"');
  }
}
