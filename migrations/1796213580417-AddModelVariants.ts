import { MigrationInterface, QueryRunner } from 'typeorm';

/** INT8 variants of a version (model_variants) and the quantization jobs that make them (issue 15.2). */
export class AddModelVariants1796213580417 implements MigrationInterface {
  name = 'AddModelVariants1796213580417';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "model_variants" ("variant_id" uuid NOT NULL, "parent_id" uuid NOT NULL, "origin" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_model_variants" PRIMARY KEY ("variant_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_model_variants_parent" ON "model_variants" ("parent_id") `);
    await queryRunner.query(
      `CREATE TABLE "quantization_jobs" ("id" uuid NOT NULL, "parent_id" uuid NOT NULL, "target_version" text NOT NULL, "settings" jsonb NOT NULL, "status" text NOT NULL, "done" integer NOT NULL DEFAULT 0, "total" integer NOT NULL DEFAULT 0, "report" jsonb, "error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_quantization_jobs" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_quantization_jobs_parent" ON "quantization_jobs" ("parent_id", "created_at") `,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_quantization_jobs_parent"`);
    await queryRunner.query(`DROP TABLE "quantization_jobs"`);
    await queryRunner.query(`DROP INDEX "public"."ix_model_variants_parent"`);
    await queryRunner.query(`DROP TABLE "model_variants"`);
  }
}
