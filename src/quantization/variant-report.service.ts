import { Injectable } from '@nestjs/common';
import { cpus } from 'node:os';
import { DomainError } from '../common/domain-error';
import { EvaluationSetRepository } from '../evaluation/evaluation-set.repository';
import { SetScorer } from '../evaluation/set-scorer';
import { ModelRunner } from '../models/model-runner';
import { AppConfig } from '../config/app-config';
import { ModelRegistry } from '../models/model-registry.service';
import { ModelVariantRepository } from '../models/model-variant.repository';
import { ModelVersionEntity } from '../models/model-version.entity';
import { ModelVersionRepository } from '../models/model-version.repository';
import { THROUGHPUT_RUNS } from './defaults';
import { timeRuns, timingItem } from './model-timing';
import { compareOnSet, speedRatios, Timing } from './variant-comparison';

/** A variant judged against its FP32 parent: every evaluation set of the model, and speed on this host. */
@Injectable()
export class VariantReportService {
  constructor(
    private readonly registry: ModelRegistry,
    private readonly versions: ModelVersionRepository,
    private readonly variants: ModelVariantRepository,
    private readonly sets: EvaluationSetRepository,
    private readonly scorer: SetScorer,
    private readonly runner: ModelRunner,
    private readonly config: AppConfig,
  ) {}

  async report(name: string, version: string) {
    const variant = await this.registry.get(name, version);
    const relation = await this.variants.find(variant.id);
    if (!relation)
      throw new DomainError(
        'unprocessable',
        'not_a_variant',
        `version ${version} of ${name} is not a variant of another version`,
      );
    const parent = (await this.versions.findById(relation.parentId))!;
    const sets = [];
    let sample: Buffer | undefined;
    for (const set of await this.sets.list(name)) {
      const items = await this.sets.items(set.id);
      sample ??= items[0]?.image;
      const [p, v] = [await this.scorer.score(parent, items), await this.scorer.score(variant, items)];
      if (p.length > 0) sets.push({ set: { id: set.id, name: set.name }, ...compareOnSet(p, v) });
    }
    return {
      variant: { id: variant.id, version: variant.version, origin: relation.origin },
      parent: { id: parent.id, version: parent.version },
      sets,
      speed: await this.speed(parent, variant, sample),
      host: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length },
      measuredAt: new Date().toISOString(),
    };
  }

  /** Both versions timed on the same input, alternating runs (timeRuns). */
  private async speed(parent: ModelVersionEntity, variant: ModelVersionEntity, sample?: Buffer) {
    const item = await timingItem(parent.inputSpec, this.config.MAX_IMAGE_PIXELS, sample);
    const models = [this.registry.loadable(parent), this.registry.loadable(variant)];
    const result = [];
    for (const batch of [1, 32] as const) {
      const runs = THROUGHPUT_RUNS[batch];
      const totals = (await timeRuns(this.runner, models, item, batch, runs)).map((t) => t.reduce((a, b) => a + b, 0));
      const timing = (total: number): Timing => ({
        batch,
        runs,
        meanLatencyMs: total / runs,
        imagesPerSecond: (batch * runs) / (total / 1000),
      });
      result.push(speedRatios(timing(totals[0]), timing(totals[1])));
    }
    return result;
  }
}
