import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateEvaluationTables1795821035627 implements MigrationInterface {
  name = 'CreateEvaluationTables1795821035627';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "evaluation_sets" ("id" uuid NOT NULL, "model_name" text NOT NULL, "name" text NOT NULL, "item_count" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_evaluation_sets_model_name" UNIQUE ("model_name", "name"), CONSTRAINT "PK_4465ac041f46f169d0d62bce890" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "evaluation_set_items" ("set_id" uuid NOT NULL, "file" text NOT NULL, "label" text NOT NULL, "sha256" text NOT NULL, "image" bytea NOT NULL, CONSTRAINT "PK_7473daea62cf3f092907e9d538c" PRIMARY KEY ("set_id", "file"))',
    );
    await queryRunner.query(
      'CREATE TABLE "evaluations" ("id" uuid NOT NULL, "model_version_id" uuid NOT NULL, "model_name" text NOT NULL, "model_version" text NOT NULL, "kind" text NOT NULL, "iso_week" text NOT NULL, "window_from" TIMESTAMP WITH TIME ZONE NOT NULL, "window_to" TIMESTAMP WITH TIME ZONE NOT NULL, "source" text NOT NULL, "n" integer NOT NULL, "correct" integer NOT NULL, "accuracy" double precision NOT NULL, "accuracy_interval" jsonb NOT NULL, "per_class" jsonb NOT NULL, "confusion" jsonb NOT NULL, "baseline_evaluation_id" uuid, "baseline_accuracy" double precision, "baseline_n" integer, "baseline_correct" integer, "drop_pp" double precision, "drop_interval" jsonb, "retraining_requested" boolean NOT NULL, "drift_state" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f683b433eba0e6dae7e19b29e29" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "uq_evaluations_weekly" ON "evaluations" ("model_name", "iso_week", "source") WHERE "kind" = \'weekly\'',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_evaluations_model_created" ON "evaluations" ("model_name", "created_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "retraining_requests" ("model_name" text NOT NULL, "iso_week" text NOT NULL, "evaluation_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_46d9d9be1468bc50f1a59afffb0" PRIMARY KEY ("model_name", "iso_week"))',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "retraining_requests"');
    await queryRunner.query('DROP INDEX "public"."ix_evaluations_model_created"');
    await queryRunner.query('DROP INDEX "public"."uq_evaluations_weekly"');
    await queryRunner.query('DROP TABLE "evaluations"');
    await queryRunner.query('DROP TABLE "evaluation_set_items"');
    await queryRunner.query('DROP TABLE "evaluation_sets"');
  }
}
