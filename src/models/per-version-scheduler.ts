import { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ModelVersionRepository } from './model-version.repository';

/**
 * API role only: every `intervalMs`, enqueue a subclass's jobs for each active model version and
 * time slot. Job ids carry the slot, so every replica enqueues the same jobs once; no logic here.
 */
export abstract class PerVersionSlotScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  protected constructor(
    private readonly versions: ModelVersionRepository,
    private readonly intervalMs: number,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.enqueue().catch(() => undefined), this.intervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async enqueue(now = new Date()): Promise<void> {
    const slot = Math.floor(now.getTime() / this.intervalMs);
    const at = new Date(slot * this.intervalMs).toISOString();
    for (const version of await this.versions.active()) await this.enqueueFor(version.id, at, slot);
  }

  protected abstract enqueueFor(modelVersionId: string, at: string, slot: number): Promise<void>;
}
