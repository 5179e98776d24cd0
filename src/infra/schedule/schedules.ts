import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';

/**
 * Runs `tick` every `ms` under `name` in the SchedulerRegistry, so the shutdown's "schedules" step
 * stops it with every other trigger. A failed tick is logged; the next one runs as usual.
 */
export function scheduleEvery(
  registry: SchedulerRegistry,
  name: string,
  ms: number,
  tick: () => Promise<unknown>,
  logger: Logger,
): void {
  const timer = setInterval(
    () =>
      void tick().catch((error: unknown) => logger.warn({ err: error, schedule: name }, `scheduled ${name} failed`)),
    ms,
  );
  // The shutdown sequence decides when the process ends; a schedule alone never keeps it alive.
  timer.unref();
  registry.addInterval(name, timer);
}

/** The shutdown's "schedules" step: no cron job, interval or timeout fires again. A running tick finishes. */
export function stopSchedules(registry: SchedulerRegistry): void {
  for (const name of registry.getCronJobs().keys()) registry.deleteCronJob(name);
  for (const name of registry.getIntervals()) registry.deleteInterval(name);
  for (const name of registry.getTimeouts()) registry.deleteTimeout(name);
}
