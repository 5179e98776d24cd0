import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddExperimentArmErrors1795823507784 implements MigrationInterface {
  name = 'AddExperimentArmErrors1795823507784';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "experiment_arm_errors" ("experiment_id" uuid NOT NULL, "arm" text NOT NULL, "errors" bigint NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_37f96a58ee303bab1ec130a18bb" PRIMARY KEY ("experiment_id", "arm"))',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "experiment_arm_errors"');
  }
}
