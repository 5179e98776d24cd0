import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { WebhookAttemptEntity } from './webhook-attempt.entity';
import { DeliveryStatus, WebhookDeliveryEntity } from './webhook-delivery.entity';
import { AttemptResult, DeliveryDecision } from './webhook-delivery-outcome';

/** A delivery claimed for one attempt, with what is needed to send it. */
export interface ClaimedDelivery {
  deliveryId: string;
  attempt: number;
  attemptLimit: number;
  eventId: string;
  eventType: string;
  body: string;
  endpointId: string;
  url: string;
  secret: string;
  endpointEnabled: boolean;
}

export interface DueDelivery {
  id: string;
  attemptCount: number;
}

export interface DeliveryWithEvent extends WebhookDeliveryEntity {
  eventType: string;
}

@Injectable()
export class WebhookDeliveryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Takes attempt `attempt` of a pending delivery, at most once: the conditional UPDATE lets one
   * job win, and a stale or duplicated job finds nothing. While the attempt runs, next_attempt_at
   * is the end of a lease, after which the sweeper retries an attempt whose worker died.
   */
  async claim(deliveryId: string, attempt: number, leaseMs: number): Promise<ClaimedDelivery | null> {
    const rows: ClaimedDelivery[] = await this.dataSource.query(
      `WITH claimed AS (
         UPDATE webhook_deliveries
         SET attempt_count = attempt_count + 1, updated_at = now(),
             next_attempt_at = now() + make_interval(secs => $3::double precision / 1000)
         WHERE id = $1 AND status = 'pending' AND attempt_count = $2 - 1 AND attempt_count < attempt_limit
         RETURNING id, event_id, endpoint_id, attempt_count, attempt_limit)
       SELECT c.id AS "deliveryId", c.attempt_count AS "attempt", c.attempt_limit AS "attemptLimit",
              e.id AS "eventId", e.type AS "eventType", e.body, p.id AS "endpointId", p.url, p.secret,
              p.enabled AS "endpointEnabled"
       FROM claimed c JOIN webhook_events e ON e.id = c.event_id JOIN webhook_endpoints p ON p.id = c.endpoint_id`,
      [deliveryId, attempt, leaseMs],
    );
    return rows[0] ?? null;
  }

  /** The attempt row, the delivery's new state and (on 410) the endpoint's, in one transaction. */
  async record(claim: ClaimedDelivery, startedAt: Date, result: AttemptResult, decision: DeliveryDecision) {
    await this.dataSource.transaction(async (manager) => {
      await manager.insert(WebhookAttemptEntity, {
        deliveryId: claim.deliveryId,
        attempt: claim.attempt,
        startedAt,
        statusCode: result.statusCode,
        latencyMs: result.latencyMs,
        outcome: result.outcome,
        error: result.error,
        responseExcerpt: result.responseExcerpt,
      });
      await this.applyDecision(manager, claim, result, decision);
    });
  }

  private async applyDecision(
    manager: EntityManager,
    claim: ClaimedDelivery,
    result: AttemptResult,
    decision: DeliveryDecision,
  ): Promise<void> {
    const retryInMs = decision.status === 'pending' ? decision.retryInMs : null;
    await manager.query(
      `UPDATE webhook_deliveries
       SET status = $2, last_status_code = $3, last_error = $4, updated_at = now(),
           delivered_at = CASE WHEN $2 = 'delivered' THEN now() ELSE delivered_at END,
           next_attempt_at = CASE WHEN $5::double precision IS NULL THEN NULL
                                  ELSE now() + make_interval(secs => $5::double precision / 1000) END
       WHERE id = $1`,
      [claim.deliveryId, decision.status, result.statusCode, result.error, retryInMs],
    );
    if (decision.status === 'failed' && decision.disableEndpoint) {
      await manager.query(
        `UPDATE webhook_endpoints SET enabled = false, disabled_reason = $2, updated_at = now() WHERE id = $1`,
        [claim.endpointId, `receiver answered 410 Gone at ${new Date().toISOString()}`],
      );
    }
  }

  /** Pending deliveries of one event (after-commit dispatch). */
  pendingOf(eventId: string): Promise<DueDelivery[]> {
    return this.dataSource.query(
      `SELECT id, attempt_count AS "attemptCount" FROM webhook_deliveries WHERE event_id = $1 AND status = 'pending'`,
      [eventId],
    );
  }

  /**
   * Takes due pending deliveries for re-enqueueing (their job may have been lost) and re-arms
   * each for a lease, so one sweep (of any replica) takes a delivery once per lease.
   */
  async takeDue(limit: number, leaseMs: number): Promise<DueDelivery[]> {
    const [rows]: [DueDelivery[], number] = await this.dataSource.query(
      `UPDATE webhook_deliveries d
       SET next_attempt_at = now() + make_interval(secs => $2::double precision / 1000), updated_at = now()
       FROM (SELECT id FROM webhook_deliveries
             WHERE status = 'pending' AND next_attempt_at <= now() AND attempt_count < attempt_limit
             ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED) due
       WHERE d.id = due.id
       RETURNING d.id, d.attempt_count AS "attemptCount"`,
      [limit, leaseMs],
    );
    return rows;
  }

  /** Deliveries whose last allowed attempt was claimed and never recorded (its worker died). */
  async failAbandoned(): Promise<number> {
    const [, count]: [unknown[], number] = await this.dataSource.query(
      `UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, updated_at = now(),
              last_error = 'last attempt was interrupted before its result was recorded'
       WHERE status = 'pending' AND next_attempt_at <= now() AND attempt_count >= attempt_limit
       RETURNING id`,
    );
    return count;
  }

  list(endpointId: string, status: DeliveryStatus | undefined, limit: number): Promise<DeliveryWithEvent[]> {
    const query = this.dataSource
      .getRepository(WebhookDeliveryEntity)
      .createQueryBuilder('d')
      .innerJoin('d.event', 'e')
      .addSelect('e.type', 'eventType')
      .where('d.endpoint_id = :endpointId', { endpointId })
      .orderBy('d.created_at', 'DESC')
      .limit(limit);
    if (status) query.andWhere('d.status = :status', { status });
    return query
      .getRawAndEntities()
      .then(({ entities, raw }) =>
        entities.map((entity, i) => ({ ...entity, eventType: (raw[i] as { eventType: string }).eventType })),
      );
  }

  find(endpointId: string, deliveryId: string): Promise<WebhookDeliveryEntity | null> {
    return this.dataSource.getRepository(WebhookDeliveryEntity).findOne({
      where: { id: deliveryId, endpointId },
      relations: { event: true },
    });
  }

  attempts(deliveryId: string): Promise<WebhookAttemptEntity[]> {
    return this.dataSource
      .getRepository(WebhookAttemptEntity)
      .find({ where: { deliveryId }, order: { attempt: 'ASC' } });
  }

  /** A finished delivery becomes pending again with a fresh budget of attempts; null if already pending. */
  async reopen(endpointId: string, deliveryId: string, extraAttempts: number): Promise<DueDelivery | null> {
    const [rows]: [DueDelivery[], number] = await this.dataSource.query(
      `UPDATE webhook_deliveries
       SET status = 'pending', attempt_limit = attempt_count + $3, next_attempt_at = now(), updated_at = now()
       WHERE id = $1 AND endpoint_id = $2 AND status <> 'pending'
       RETURNING id, attempt_count AS "attemptCount"`,
      [deliveryId, endpointId, extraAttempts],
    );
    return rows[0] ?? null;
  }
}
