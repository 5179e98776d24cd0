import { Injectable, Logger, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../config/app-config';
import { scheduleEvery } from '../infra/schedule/schedules';
import { MetricsService } from '../metrics/metrics.service';
import { LEASE_MARGIN_MS } from './webhook-deliverer';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookDeliveryQueue } from './webhook-delivery.job';

const SWEEP_BATCH = 500;

export interface SweepResult {
  requeued: number;
  failed: number;
}

/**
 * Postgres is the truth about what is still to be delivered. The sweeper enqueues every pending
 * delivery that is due: its job was lost (Redis flushed, a process died holding an inline job)
 * or never enqueued (the emitter died before dispatch). A delivery whose original job still runs
 * is not sent twice: the attempt is claimed in Postgres by one job only.
 */
@Injectable()
export class WebhookSweeper {
  private readonly logger = new Logger('WebhookSweeper');

  constructor(
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly queue: WebhookDeliveryQueue,
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {}

  async sweep(): Promise<SweepResult> {
    const failed = await this.deliveries.failAbandoned();
    // Re-armed for as long as an attempt may take: a requeued job that is lost again is swept again.
    const due = await this.deliveries.takeDue(SWEEP_BATCH, this.config.WEBHOOK_TIMEOUT_MS + LEASE_MARGIN_MS);
    const requeuedAt = Date.now();
    const enqueued = await Promise.all(due.map((d) => this.queue.schedule(d.id, d.attemptCount + 1, { requeuedAt })));
    const requeued = enqueued.filter(Boolean).length;
    this.metrics.webhookSweepRequeued.inc(requeued);
    if (requeued > 0 || failed > 0) this.logger.log({ requeued, failed }, 'webhook sweep');
    return { requeued, failed };
  }
}

/** The periodic trigger (API role, where the scheduler runs): enqueues a sweep with a per-period id. */
@Injectable()
export class WebhookSweepSchedule implements OnApplicationBootstrap {
  private readonly logger = new Logger('WebhookSweepSchedule');

  constructor(
    private readonly queue: WebhookDeliveryQueue,
    private readonly config: AppConfig,
    @Optional() private readonly scheduler?: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.scheduler) return;
    const every = this.config.WEBHOOK_SWEEP_INTERVAL_MS;
    // Replicas ticking in the same period enqueue the same job id: one sweep per period.
    scheduleEvery(
      this.scheduler,
      'webhooks.sweep',
      every,
      () => this.queue.scheduleSweep(Math.floor(Date.now() / every)),
      this.logger,
    );
  }
}
