import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { scheduleEvery, stopSchedules } from './schedules';

describe('scheduleEvery and the shutdown step stopSchedules', () => {
  const logger = new Logger('ScheduleSpec');

  beforeEach(() => jest.useFakeTimers());
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('ticks under its name until stopSchedules, then never again', async () => {
    const registry = new SchedulerRegistry();
    const drift = jest.fn(() => Promise.resolve());
    const experiments = jest.fn(() => Promise.resolve());
    scheduleEvery(registry, 'drift.check', 1_000, drift, logger);
    scheduleEvery(registry, 'experiments.analyse', 2_000, experiments, logger);
    expect(registry.getIntervals().sort()).toEqual(['drift.check', 'experiments.analyse']);

    await jest.advanceTimersByTimeAsync(4_000);
    expect([drift.mock.calls.length, experiments.mock.calls.length]).toEqual([4, 2]);

    stopSchedules(registry);
    expect(registry.getIntervals()).toEqual([]);
    await jest.advanceTimersByTimeAsync(10_000);
    expect([drift.mock.calls.length, experiments.mock.calls.length]).toEqual([4, 2]);
  });

  it('logs a failed tick with the schedule name and keeps ticking', async () => {
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const registry = new SchedulerRegistry();
    const tick = jest.fn().mockRejectedValueOnce(new Error('redis down')).mockResolvedValue(undefined);
    scheduleEvery(registry, 'drift.check', 1_000, tick, logger);

    await jest.advanceTimersByTimeAsync(2_000);
    expect(tick).toHaveBeenCalledTimes(2);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(
      { err: new Error('redis down'), schedule: 'drift.check' },
      'scheduled drift.check failed',
    );
    stopSchedules(registry);
  });

  it('stops cron jobs and timeouts in the registry too', () => {
    const registry = new SchedulerRegistry();
    const timeout = setTimeout(() => undefined, 1_000);
    registry.addTimeout('once', timeout);
    const cron = { stop: jest.fn() };
    registry.addCronJob('evaluation.weekly', cron as never);

    stopSchedules(registry);
    expect(registry.getTimeouts()).toEqual([]);
    expect(registry.getCronJobs().size).toBe(0);
    expect(cron.stop).toHaveBeenCalled();
  });
});
