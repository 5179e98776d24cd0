import { Injectable } from '@nestjs/common';
import { readFile } from 'node:fs/promises';
import { AppConfig } from '../config/app-config';
import { EvaluationSetItemEntity } from '../evaluation/evaluation-set.entity';
import { SetScorer } from '../evaluation/set-scorer';
import { ModelRunner } from '../models/model-runner';
import { ModelRegistry } from '../models/model-registry.service';
import { ModelStore } from '../models/model-store';
import { ModelVariantRepository } from '../models/model-variant.repository';
import { ModelVersionEntity } from '../models/model-version.entity';
import { ModelVersionRepository } from '../models/model-version.repository';
import { timeRuns, timingItem } from '../quantization/model-timing';
import { decodeModel, parameterCount } from '../quantization/onnx-model';
import { LEADERBOARD_RUNS } from './defaults';
import { ItemOutcome, Speed, speedOf, VersionFacts } from './leaderboard-ranking';

export interface MeasuredVersion {
  facts: VersionFacts;
  outcomes: ItemOutcome[];
  speed: Speed;
}

/** Scores every version on the same items and times them together on this host. */
@Injectable()
export class LeaderboardMeasurer {
  constructor(
    private readonly registry: ModelRegistry,
    private readonly versions: ModelVersionRepository,
    private readonly variants: ModelVariantRepository,
    private readonly store: ModelStore,
    private readonly scorer: SetScorer,
    private readonly runner: ModelRunner,
    private readonly config: AppConfig,
  ) {}

  async measure(live: ModelVersionEntity[], items: EvaluationSetItemEntity[]): Promise<MeasuredVersion[]> {
    // Paired tests need the same items for all: those whose label every version knows.
    const shared = items.filter((item) => live.every((v) => v.labels.includes(item.label)));
    const measured = [];
    for (const version of live) {
      const outcomes = await this.scorer.score(version, shared);
      measured.push({ facts: await this.facts(version), outcomes });
    }
    const speeds = await this.speeds(live, shared[0]?.image);
    return measured.map((m, i) => ({ ...m, speed: speeds[i] }));
  }

  /** All versions take turns run by run (timeRuns), at batch 1 then batch 32. */
  private async speeds(live: ModelVersionEntity[], sample?: Buffer): Promise<Speed[]> {
    const item = await timingItem(live[0].inputSpec, this.config.MAX_IMAGE_PIXELS, sample);
    const models = live.map((v) => this.registry.loadable(v));
    const batch1 = await timeRuns(this.runner, models, item, 1, LEADERBOARD_RUNS[1]);
    const batch32 = await timeRuns(this.runner, models, item, 32, LEADERBOARD_RUNS[32]);
    return live.map((_, i) => speedOf(batch1[i], batch32[i]));
  }

  private async facts(version: ModelVersionEntity): Promise<VersionFacts> {
    await this.runner.ensureLoaded(this.registry.loadable(version));
    const base = {
      id: version.id,
      version: version.version,
      role: version.role,
      labels: version.labels.length,
      provider: this.runner.provider(version.id) ?? null,
    };
    if (version.ensembleVoting) {
      const members = (await this.versions.ensembleMembers(version.id)).map((m) => m.member);
      const sizes = await Promise.all(members.map((m) => this.fileFacts(m)));
      return {
        ...base,
        kind: 'ensemble',
        variantOf: null,
        members: members.map((m) => m.version),
        fileBytes: sizes.reduce((sum, s) => sum + s.fileBytes, 0),
        parameters: sizes.reduce((sum, s) => sum + s.parameters, 0),
      };
    }
    const relation = await this.variants.find(version.id);
    const parent = relation && (await this.versions.findById(relation.parentId));
    return {
      ...base,
      kind: parent ? 'variant' : 'plain',
      variantOf: parent ? parent.version : null,
      members: null,
      ...(await this.fileFacts(version)),
    };
  }

  private async fileFacts(version: ModelVersionEntity): Promise<{ fileBytes: number; parameters: number }> {
    const bytes = await readFile(this.store.pathOf(version.fileSha256));
    return { fileBytes: bytes.length, parameters: parameterCount(decodeModel(bytes)) };
  }
}
