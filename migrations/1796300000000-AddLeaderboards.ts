import { MigrationInterface, QueryRunner } from 'typeorm';

/** Leaderboards of a model on an evaluation set: the computation job and its ranked entries (issue 15.4). */
export class AddLeaderboards1796300000000 implements MigrationInterface {
  name = 'AddLeaderboards1796300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "leaderboards" ("id" uuid NOT NULL, "model_name" text NOT NULL, "set_id" uuid NOT NULL, "set_name" text NOT NULL, "status" text NOT NULL, "entries" jsonb, "host" jsonb, "error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "measured_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_leaderboards" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_leaderboards_model_set" ON "leaderboards" ("model_name", "set_id", "measured_at") `,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_leaderboards_model_set"`);
    await queryRunner.query(`DROP TABLE "leaderboards"`);
  }
}
