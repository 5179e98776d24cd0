import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DeliveryStatus } from './webhook-delivery.entity';

export interface LoggedDelivery {
  deliveryId: string;
  endpointId: string;
  status: DeliveryStatus;
  attemptCount: number;
  lastStatusCode: number | null;
  deliveredAt: string | null;
}

/** One outbox event with the state of its delivery to each endpoint. */
export interface LoggedEvent {
  id: string;
  type: string;
  version: number;
  body: string;
  createdAt: Date;
  deliveries: LoggedDelivery[];
}

/** Read side of the outbox for dashboards: recent events and where each one got to. */
@Injectable()
export class WebhookEventLogRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Newest first. The limit applies to events before the join, so fan-out never truncates a list. */
  recent(limit: number): Promise<LoggedEvent[]> {
    return this.dataSource.query(
      `SELECT e.id, e.type, e.version, e.body, e.created_at AS "createdAt",
              COALESCE(json_agg(json_build_object(
                'deliveryId', d.id, 'endpointId', d.endpoint_id, 'status', d.status,
                'attemptCount', d.attempt_count, 'lastStatusCode', d.last_status_code,
                'deliveredAt', d.delivered_at) ORDER BY d.created_at, d.id)
                FILTER (WHERE d.id IS NOT NULL), '[]') AS deliveries
         FROM (SELECT * FROM webhook_events ORDER BY created_at DESC, id LIMIT $1) e
         LEFT JOIN webhook_deliveries d ON d.event_id = e.id
        GROUP BY e.id, e.type, e.version, e.body, e.created_at
        ORDER BY e.created_at DESC, e.id`,
      [limit],
    );
  }
}
