import { SchedulerRegistry } from '@nestjs/schedule';
import { stopSchedules } from '../../src/infra/schedule/schedules';
import { startTestApp, TestApp } from '../support/test-app';

// Every periodic trigger of the API role, by the name it has in the SchedulerRegistry.
const intervals = ['drift.check', 'drift.edges-sync', 'experiments.analyse', 'performance.check', 'webhooks.sweep'];

describe('the API role schedules', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('are in the SchedulerRegistry after bootstrap, and the shutdown step "schedules" stops them all', () => {
    const registry = t.app.get(SchedulerRegistry);
    expect(registry.getIntervals().sort()).toEqual(intervals);
    expect([...registry.getCronJobs().keys()]).toContain('evaluation.weekly');

    stopSchedules(registry);
    expect(registry.getIntervals()).toEqual([]);
    expect(registry.getCronJobs().size).toBe(0);
    expect(registry.getTimeouts()).toEqual([]);
  });
});
