import { Injectable, Logger } from '@nestjs/common';
import { z } from 'zod';
import { JobQueue } from '../infra/queue/job-queue';
import { defineJob, QueueName } from '../infra/queue/jobs';

/**
 * One attempt of one delivery. Retries of the HTTP call are new jobs scheduled by the handler
 * (the schedule lives in Postgres); the job's own retries only cover a failing database.
 */
export const webhookDeliveryJob = defineJob({
  name: 'webhooks.deliver',
  queue: QueueName.Webhooks,
  payload: z.object({ deliveryId: z.uuid(), attempt: z.number().int().min(1) }),
  attempts: 3,
  backoffMs: 5000,
});

export type WebhookDeliveryPayload = z.infer<typeof webhookDeliveryJob.payload>;

/** Re-enqueues due deliveries whose jobs were lost. */
export const webhookSweepJob = defineJob({
  name: 'webhooks.sweep',
  queue: QueueName.Webhooks,
  payload: z.object({}),
  attempts: 1,
});

/** Deterministic: enqueueing the same attempt twice (dispatch, sweeper, retry) runs it once. */
export function deliveryJobId(deliveryId: string, attempt: number): string {
  return `webhook-delivery-${deliveryId}-${attempt}`;
}

@Injectable()
export class WebhookDeliveryQueue {
  private readonly logger = new Logger('WebhookDeliveryQueue');

  constructor(private readonly jobs: JobQueue) {}

  /**
   * Enqueues one attempt. A failure is logged, not thrown: the delivery is pending in Postgres
   * and the sweeper enqueues it once it is due.
   */
  async schedule(deliveryId: string, attempt: number, delayMs = 0): Promise<boolean> {
    try {
      await this.jobs.enqueue(
        webhookDeliveryJob,
        { deliveryId, attempt },
        { jobId: deliveryJobId(deliveryId, attempt), delayMs },
      );
      return true;
    } catch (error) {
      this.logger.warn({ deliveryId, attempt, err: error }, 'could not enqueue webhook delivery; the sweeper will');
      return false;
    }
  }

  async scheduleSweep(bucket: number): Promise<void> {
    await this.jobs.enqueue(webhookSweepJob, {}, { jobId: `webhooks-sweep-${bucket}` });
  }
}
