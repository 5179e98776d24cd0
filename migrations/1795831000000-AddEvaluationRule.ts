import { MigrationInterface, QueryRunner } from 'typeorm';

/** The retraining rule's outcome and state per evaluation record (issue 18). */
export class AddEvaluationRule1795831000000 implements MigrationInterface {
  name = 'AddEvaluationRule1795831000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "evaluations" ADD "rule" jsonb');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "evaluations" DROP COLUMN "rule"');
  }
}
