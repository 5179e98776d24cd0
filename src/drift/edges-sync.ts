import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { scheduleEvery } from '../infra/schedule/schedules';
import { ModelRunner } from '../models/model-runner';
import { ModelRegistry } from '../models/model-registry.service';
import { ModelVersionRepository } from '../models/model-version.repository';

const SYNC_INTERVAL_MS = 10_000;

/**
 * A reference set on one API replica changes a version's bin edges in Postgres; the other
 * replicas pick them up here. Until they do, their counts carry the old edges_version and are
 * left out of drift checks (never mixed), so the cost of the delay is a few seconds of counts.
 */
@Injectable()
export class EdgesSync implements OnApplicationBootstrap {
  private readonly logger = new Logger('EdgesSync');

  constructor(
    private readonly versions: ModelVersionRepository,
    private readonly registry: ModelRegistry,
    private readonly runner: ModelRunner,
    private readonly schedules: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    // Stopped with the other schedules: once HTTP has drained, no request needs newer edges.
    scheduleEvery(this.schedules, 'drift.edges-sync', SYNC_INTERVAL_MS, () => this.sync(), this.logger);
  }

  async sync(): Promise<void> {
    for (const version of await this.versions.active()) {
      const loaded = this.runner.edgesVersion(version.id);
      if (loaded === undefined || loaded === version.edgesVersion) continue;
      await this.runner.updateSignals(this.registry.loadable(version));
      this.logger.log(
        { model: version.name, version: version.version, edgesVersion: version.edgesVersion },
        'bin edges updated',
      );
    }
  }
}
