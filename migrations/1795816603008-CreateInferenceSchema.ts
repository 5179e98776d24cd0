import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateInferenceSchema1795816603008 implements MigrationInterface {
  name = 'CreateInferenceSchema1795816603008';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "model_versions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "version" text NOT NULL, "role" text NOT NULL, "file_sha256" text NOT NULL, "labels" jsonb NOT NULL, "input_spec" jsonb NOT NULL, "signal_specs" jsonb NOT NULL, "edges_version" integer NOT NULL DEFAULT \'1\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "promoted_at" TIMESTAMP WITH TIME ZONE, "retired_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "uq_model_versions_name_version" UNIQUE ("name", "version"), CONSTRAINT "PK_77c0256872dcc26394dba4b87ec" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "uq_model_versions_champion" ON "model_versions" ("name") WHERE "role" = \'champion\'',
    );
    await queryRunner.query(
      'CREATE TABLE "histogram_counts" ("model_version_id" uuid NOT NULL, "signal" text NOT NULL, "edges_version" integer NOT NULL, "minute" TIMESTAMP WITH TIME ZONE NOT NULL, "counts" bigint array NOT NULL, "total" bigint NOT NULL, CONSTRAINT "PK_82a12204a8c2d7fd35c950ce728" PRIMARY KEY ("model_version_id", "signal", "edges_version", "minute"))',
    );
    await queryRunner.query(
      'CREATE TABLE "feedback" ("prediction_id" uuid NOT NULL, "model_version_id" uuid NOT NULL, "predicted_at" TIMESTAMP WITH TIME ZONE NOT NULL, "predicted_class" smallint NOT NULL, "label_class" smallint NOT NULL, "role" text NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_180f7a8e586013cf4bb741075a8" PRIMARY KEY ("prediction_id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_feedback_model_version_received" ON "feedback" ("model_version_id", "received_at") ',
    );
    // Partitioned by day: retention drops whole partitions instead of deleting rows.
    // TypeORM cannot express partitioning, so PredictionEntity is synchronize: false.
    await queryRunner.query(`CREATE TABLE "predictions" (
      "id" uuid NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "model_version_id" uuid NOT NULL,
      "role" text NOT NULL,
      "predicted_class" smallint NOT NULL,
      "confidence" real NOT NULL,
      "latency_ms" real NOT NULL,
      "unit_id" text,
      "request_id" text,
      "input_hash" text NOT NULL,
      CONSTRAINT "pk_predictions" PRIMARY KEY ("id", "created_at")
    ) PARTITION BY RANGE ("created_at")`);
    await queryRunner.query(
      'CREATE INDEX "ix_predictions_model_version_created" ON "predictions" ("model_version_id", "created_at")',
    );
    // Catches rows outside the daily partitions made ahead of time, so a write never fails.
    await queryRunner.query('CREATE TABLE "predictions_default" PARTITION OF "predictions" DEFAULT');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "predictions"');
    await queryRunner.query('DROP INDEX "public"."ix_feedback_model_version_received"');
    await queryRunner.query('DROP TABLE "feedback"');
    await queryRunner.query('DROP TABLE "histogram_counts"');
    await queryRunner.query('DROP INDEX "public"."uq_model_versions_champion"');
    await queryRunner.query('DROP TABLE "model_versions"');
  }
}
