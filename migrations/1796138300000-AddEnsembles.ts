import { MigrationInterface, QueryRunner } from 'typeorm';

/** Ensemble versions: a voting rule on the version, its members (ordered, weighted) in their own table. */
export class AddEnsembles1796138300000 implements MigrationInterface {
  name = 'AddEnsembles1796138300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "model_versions" ADD "ensemble_voting" text');
    await queryRunner.query(
      `CREATE TABLE "ensemble_members" ("ensemble_id" uuid NOT NULL, "position" smallint NOT NULL, "member_id" uuid NOT NULL, "weight" double precision NOT NULL, CONSTRAINT "pk_ensemble_members" PRIMARY KEY ("ensemble_id", "position"))`,
    );
    await queryRunner.query('CREATE INDEX "ix_ensemble_members_member" ON "ensemble_members" ("member_id") ');
    await queryRunner.query(
      `ALTER TABLE "ensemble_members" ADD CONSTRAINT "fk_ensemble_members_ensemble" FOREIGN KEY ("ensemble_id") REFERENCES "model_versions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "ensemble_members" ADD CONSTRAINT "fk_ensemble_members_member" FOREIGN KEY ("member_id") REFERENCES "model_versions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "ensemble_members"');
    await queryRunner.query('ALTER TABLE "model_versions" DROP COLUMN "ensemble_voting"');
  }
}
