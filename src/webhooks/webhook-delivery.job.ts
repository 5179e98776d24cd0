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

/**
 * Deterministic per attempt: dispatch and retry scheduling enqueue an attempt once. The sweeper
 * adds a requeue mark: BullMQ keeps finished job ids for days, so re-adding the plain id of a
 * job that ended without sending (e.g. Postgres was down) would be ignored. Duplicates are
 * harmless: only one job can claim the attempt.
 */
export function deliveryJobId(deliveryId: string, attempt: number, requeuedAt?: number): string {
  const base = `webhook-delivery-${deliveryId}-${attempt}`;
  return requeuedAt === undefined ? base : `${base}-requeue-${requeuedAt}`;
}

export interface ScheduleOptions {
  delayMs?: number;
  /** Set by the sweeper (see deliveryJobId). */
  requeuedAt?: number;
}

@Injectable()
export class WebhookDeliveryQueue {
  private readonly logger = new Logger('WebhookDeliveryQueue');

  constructor(private readonly jobs: JobQueue) {}

  /**
   * Enqueues one attempt. A failure is logged, not thrown: the delivery is pending in Postgres
   * and the sweeper enqueues it once it is due.
   */
  async schedule(deliveryId: string, attempt: number, options: ScheduleOptions = {}): Promise<boolean> {
    try {
      const jobId = deliveryJobId(deliveryId, attempt, options.requeuedAt);
      await this.jobs.enqueue(webhookDeliveryJob, { deliveryId, attempt }, { jobId, delayMs: options.delayMs });
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
