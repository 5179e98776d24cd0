import { z } from 'zod';

/** Every queue, in one place. A queue groups jobs that scale and fail together. */
export enum QueueName {
  Maintenance = 'maintenance',
  Webhooks = 'webhooks',
  Drift = 'drift',
  Evaluation = 'evaluation',
  Experiments = 'experiments',
}

/** A job type: its name, queue and the schema its payload is validated against when consumed. */
export interface JobDefinition<P> {
  readonly name: string;
  readonly queue: QueueName;
  readonly payload: z.ZodType<P>;
  /** Overrides of the default attempts / backoff. */
  readonly attempts?: number;
  readonly backoffMs?: number;
}

export function defineJob<P>(definition: JobDefinition<P>): JobDefinition<P> {
  return definition;
}

export interface EnqueueOptions {
  /** Deterministic id: a second enqueue with the same id is ignored while the first is known. */
  jobId?: string;
  delayMs?: number;
}

/** What travels with a payload: the request that caused the job, for log correlation. */
export interface JobEnvelope {
  payload: unknown;
  requestId?: string;
}

export interface JobContext {
  jobId: string;
  attempt: number;
  requestId?: string;
}

export type JobHandler<P> = (payload: P, context: JobContext) => Promise<void>;
