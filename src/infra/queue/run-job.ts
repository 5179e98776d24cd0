import { Logger } from '@nestjs/common';
import { RequestContext } from '../../common/request-context';
import { JobRegistry } from './job-registry';
import { JobContext, JobEnvelope } from './jobs';

export class InvalidJobPayloadError extends Error {}
export class UnknownJobError extends Error {}

/** Shared by both drivers: find the handler, validate the payload, run it in the job's context. */
export async function runJob(
  registry: JobRegistry,
  logger: Logger,
  name: string,
  envelope: JobEnvelope,
  context: JobContext,
): Promise<void> {
  const registration = registry.get(name);
  if (!registration) throw new UnknownJobError(`no handler for job ${name}`);
  const parsed = registration.definition.payload.safeParse(envelope.payload);
  if (!parsed.success) {
    throw new InvalidJobPayloadError(`invalid payload for job ${name}: ${parsed.error.issues[0]?.message}`);
  }
  const fields = { job: name, jobId: context.jobId, attempt: context.attempt, requestId: context.requestId };
  const started = Date.now();
  try {
    await RequestContext.run(context.requestId ?? context.jobId, () => registration.handler(parsed.data, context));
    logger.debug({ ...fields, ms: Date.now() - started }, 'job done');
  } catch (error) {
    logger.warn({ ...fields, err: error }, 'job failed');
    throw error;
  }
}
