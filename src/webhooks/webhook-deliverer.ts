import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { ClaimedDelivery, WebhookDeliveryRepository } from './webhook-delivery.repository';
import { AttemptResult, decide, DeliveryDecision } from './webhook-delivery-outcome';
import { WebhookDeliveryPayload, WebhookDeliveryQueue } from './webhook-delivery.job';
import { WebhookHttpClient } from './webhook-http.client';
import { WebhookSigner } from './webhook-signer';

// Beyond the request timeout, how long a claimed attempt may take before the sweeper assumes it died.
export const LEASE_MARGIN_MS = 30_000;

/**
 * The delivery job: claim the attempt, sign the body fixed at emit time, POST it, record the
 * attempt, schedule the next one. Idempotent: a duplicated or stale job claims nothing.
 */
@Injectable()
export class WebhookDeliverer {
  private readonly logger = new Logger('WebhookDeliverer');

  constructor(
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly http: WebhookHttpClient,
    private readonly signer: WebhookSigner,
    private readonly queue: WebhookDeliveryQueue,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  async deliver({ deliveryId, attempt }: WebhookDeliveryPayload): Promise<void> {
    const claim = await this.deliveries.claim(deliveryId, attempt, this.config.WEBHOOK_TIMEOUT_MS + LEASE_MARGIN_MS);
    if (!claim) {
      this.logger.debug({ deliveryId, attempt }, 'webhook attempt already taken or delivery finished; skipped');
      return;
    }
    const startedAt = new Date();
    const result = claim.endpointEnabled ? await this.send(claim, startedAt) : endpointDisabled();
    const decision = decide(result, claim.attempt, claim.attemptLimit, this.config.WEBHOOK_BACKOFF_MS);
    await this.deliveries.record(claim, startedAt, result, decision);
    this.observe(claim, result, decision);
    if (decision.status === 'pending') {
      await this.queue.schedule(claim.deliveryId, claim.attempt + 1, { delayMs: decision.retryInMs });
    }
  }

  private send(claim: ClaimedDelivery, at: Date): Promise<AttemptResult> {
    const headers = this.signer.sign(claim.secret, claim.eventId, claim.body, at);
    return this.http.post(claim.url, claim.body, { ...headers });
  }

  private observe(claim: ClaimedDelivery, result: AttemptResult, decision: DeliveryDecision): void {
    this.metrics.webhookAttempts.inc({ event_type: claim.eventType, outcome: result.outcome });
    this.metrics.webhookAttemptDuration.observe({ outcome: result.outcome }, result.latencyMs / 1000);
    if (decision.status !== 'pending') {
      this.metrics.webhookDeliveries.inc({ event_type: claim.eventType, outcome: decision.status });
    }
    // Never the secret; not the URL either (it may carry a token).
    const fields = {
      eventId: claim.eventId,
      eventType: claim.eventType,
      deliveryId: claim.deliveryId,
      endpointId: claim.endpointId,
      attempt: claim.attempt,
      outcome: result.outcome,
      statusCode: result.statusCode,
      latencyMs: result.latencyMs,
      next: decision.status,
    };
    if (decision.status === 'failed') this.logger.warn({ ...fields, error: result.error }, 'webhook delivery failed');
    else this.logger.log(fields, 'webhook attempt');
  }
}

function endpointDisabled(): AttemptResult {
  return {
    statusCode: null,
    latencyMs: 0,
    outcome: 'endpoint_disabled',
    error: 'endpoint is disabled',
    responseExcerpt: null,
  };
}
