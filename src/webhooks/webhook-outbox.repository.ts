import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { WebhookEventEntity } from './webhook-event.entity';

export interface OutboxEvent {
  id: string;
  type: string;
  version: number;
  body: string;
}

/** Writes events and their deliveries through the caller's EntityManager, i.e. in its transaction. */
@Injectable()
export class WebhookOutboxRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async insert(manager: EntityManager, event: OutboxEvent, attemptLimit: number, endpointIds?: string[]) {
    await manager.insert(WebhookEventEntity, event);
    return this.fanOut(manager, event, attemptLimit, endpointIds);
  }

  /**
   * One pending delivery per enabled endpoint subscribed to the type (or `*`), or per endpoint
   * named explicitly (the test event). Due at once: the sweeper finds it if dispatch never runs.
   */
  private async fanOut(
    manager: EntityManager,
    event: OutboxEvent,
    attemptLimit: number,
    endpointIds?: string[],
  ): Promise<string[]> {
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO webhook_deliveries (event_id, endpoint_id, status, attempt_limit, next_attempt_at)
       SELECT $1, id, 'pending', $2, now() FROM webhook_endpoints
       WHERE enabled AND CASE WHEN $3::uuid[] IS NULL THEN ($4 = ANY(event_types) OR '*' = ANY(event_types))
                              ELSE id = ANY($3::uuid[]) END
       RETURNING id`,
      [event.id, attemptLimit, endpointIds ?? null, event.type],
    );
    return rows.map((row) => row.id);
  }
}
