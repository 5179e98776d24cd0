import { Injectable, Logger } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { conflict, DomainError, notFound } from '../common/domain-error';
import { EvaluationSetRepository } from '../evaluation/evaluation-set.repository';
import { SetScorer } from '../evaluation/set-scorer';
import { ModelRunner } from '../models/model-runner';
import { defaultSignalSpecs } from '../inference/runtime/types';
import { isUniqueViolation } from '../infra/database/postgres-errors';
import { ModelRegistry } from '../models/model-registry.service';
import { ModelVersionEntity } from '../models/model-version.entity';
import { ModelVersionRepository } from '../models/model-version.repository';
import type { CreateEnsemble, SelectEnsemble } from './ensemble.dto';
import { checkMembers } from './ensemble-members';
import { EnsembleRepository } from './ensemble.repository';
import type { Voting } from './voting';

export interface SetAccuracy {
  version: string;
  accuracy: number;
  n: number;
}

export interface CreatedEnsemble {
  version: ModelVersionEntity;
  voting: Voting;
  members: Array<{ version: string; weight: number }>;
  /** The members were chosen as the top k on this set, from these accuracies (best first). */
  selection: { set: string; k: number; ranking: SetAccuracy[] } | null;
}

interface Plan {
  version: string;
  voting: Voting;
  members: ModelVersionEntity[];
  weights: number[];
  selection: CreatedEnsemble['selection'];
}

/** Registers ensemble versions: named members, or the top k live versions by accuracy on a set. */
@Injectable()
export class EnsembleService {
  private readonly logger = new Logger('Ensembles');

  constructor(
    private readonly registry: ModelRegistry,
    private readonly versions: ModelVersionRepository,
    private readonly ensembles: EnsembleRepository,
    private readonly runner: ModelRunner,
    private readonly sets: EvaluationSetRepository,
    private readonly scorer: SetScorer,
  ) {}

  async create(name: string, request: CreateEnsemble): Promise<CreatedEnsemble> {
    const plan = 'select' in request ? await this.topK(name, request) : await this.named(name, request);
    checkMembers(plan.members);
    if (await this.versions.find(name, plan.version)) throw versionExists(name, plan.version);
    const saved = await this.insert(name, plan);
    // Loads every member now, so the first request does not pay for it.
    await this.runner.ensureLoaded(this.registry.loadable(saved));
    this.logger.log(
      { model: name, version: plan.version, members: plan.members.map((m) => m.version) },
      'ensemble registered',
    );
    const members = plan.members.map((m, i) => ({ version: m.version, weight: plan.weights[i] }));
    return { version: saved, voting: plan.voting, members, selection: plan.selection };
  }

  private async named(name: string, request: Exclude<CreateEnsemble, SelectEnsemble>): Promise<Plan> {
    await this.registry.resolve(name); // 404 for an unknown model before its versions
    const members = await Promise.all(request.members.map((v) => this.registry.get(name, v)));
    const weights = request.weights ?? members.map(() => 1);
    return { version: request.version, voting: request.voting, members, weights, selection: null };
  }

  /** Every live plain version scored on the set; ties in accuracy go to the older version. */
  private async topK(name: string, request: SelectEnsemble): Promise<Plan> {
    await this.registry.resolve(name);
    const set = (await this.sets.list(name)).find((s) => s.id === request.set);
    if (!set) throw notFound('evaluation_set_not_found', `model ${name} has no evaluation set ${request.set}`);
    const live = (await this.registry.list(name)).filter((v) => v.role !== 'retired' && !v.ensembleVoting);
    if (live.length < request.k)
      throw new DomainError(
        'unprocessable',
        'not_enough_versions',
        `model ${name} has ${live.length} live plain versions; the top ${request.k} needs at least ${request.k}`,
      );
    const items = await this.sets.items(set.id);
    const ranking: Array<SetAccuracy & { model: ModelVersionEntity }> = [];
    for (const model of live) {
      const pairs = await this.scorer.score(model, items);
      const correct = pairs.filter((p) => p.label === p.predicted).length;
      ranking.push({
        model,
        version: model.version,
        accuracy: pairs.length ? correct / pairs.length : 0,
        n: pairs.length,
      });
    }
    ranking.sort((a, b) => b.accuracy - a.accuracy);
    const members = ranking.slice(0, request.k).map((r) => r.model);
    const version = request.version ?? `top${request.k}-${request.voting}-${set.id.slice(0, 8)}`;
    const selection = {
      set: set.id,
      k: request.k,
      ranking: ranking.map(({ version: v, accuracy, n }) => ({ version: v, accuracy, n })),
    };
    return { version, voting: request.voting, members, weights: members.map(() => 1), selection };
  }

  private async insert(name: string, plan: Plan): Promise<ModelVersionEntity> {
    const [first] = plan.members;
    // Members may give logits or probabilities; the ensemble always answers probabilities.
    const inputSpec = { ...first.inputSpec, output: 'probabilities' as const };
    const definition = { voting: plan.voting, members: plan.members.map((m, i) => [m.fileSha256, plan.weights[i]]) };
    const version = {
      id: randomUUID(),
      name,
      version: plan.version,
      role: 'challenger' as const,
      // No file of its own: the hash identifies the definition (voting, member files, weights).
      fileSha256: createHash('sha256').update(JSON.stringify(definition)).digest('hex'),
      labels: first.labels,
      inputSpec,
      signalSpecs: defaultSignalSpecs(inputSpec, first.labels.length),
      retiredAt: null,
      driftThreshold: null,
      ensembleVoting: plan.voting,
    };
    const rows = plan.members.map((m, i) => ({ memberId: m.id, weight: plan.weights[i] }));
    try {
      return await this.versions.register(version, (manager, saved) =>
        this.ensembles.insertMembers(manager, saved.id, rows),
      );
    } catch (error) {
      throw isUniqueViolation(error, 'uq_model_versions_name_version') ? versionExists(name, plan.version) : error;
    }
  }
}

function versionExists(name: string, version: string): DomainError {
  return conflict('model_version_exists', `model ${name} version ${version} is already registered`);
}
