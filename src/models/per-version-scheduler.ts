import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { scheduleEvery } from '../infra/schedule/schedules';
import { ModelVersionRepository } from './model-version.repository';

/**
 * API role only: every `intervalMs`, enqueue a subclass's jobs for each active model version and
 * time slot. Job ids carry the slot, so every replica enqueues the same jobs once; no logic here.
 * The interval is registered as `name` in the SchedulerRegistry, which the shutdown empties.
 */
export abstract class PerVersionSlotScheduler implements OnApplicationBootstrap {
  private readonly logger: Logger;

  protected constructor(
    private readonly versions: ModelVersionRepository,
    private readonly schedules: SchedulerRegistry,
    private readonly name: string,
    private readonly intervalMs: number,
  ) {
    this.logger = new Logger(new.target.name);
  }

  onApplicationBootstrap(): void {
    scheduleEvery(this.schedules, this.name, this.intervalMs, () => this.enqueue(), this.logger);
  }

  async enqueue(now = new Date()): Promise<void> {
    const slot = Math.floor(now.getTime() / this.intervalMs);
    const at = new Date(slot * this.intervalMs).toISOString();
    for (const version of await this.versions.active()) await this.enqueueFor(version.id, at, slot);
  }

  protected abstract enqueueFor(modelVersionId: string, at: string, slot: number): Promise<void>;
}
