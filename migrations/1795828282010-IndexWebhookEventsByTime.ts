import { MigrationInterface, QueryRunner } from 'typeorm';

export class IndexWebhookEventsByTime1795828282010 implements MigrationInterface {
  name = 'IndexWebhookEventsByTime1795828282010';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX "ix_webhook_events_created" ON "webhook_events" ("created_at") ');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."ix_webhook_events_created"');
  }
}
