import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { conflict, DomainError, invalid, notFound } from '../common/domain-error';
import { ModelRunner, LoadableModel } from './model-runner';
import { defaultSignalSpecs } from '../inference/runtime/types';
import { ModelStore } from './model-store';
import { ModelVariantEntity } from './model-variant.entity';
import { ModelVariantRepository } from './model-variant.repository';
import { ModelVersionEntity } from './model-version.entity';
import { ModelVersionRepository } from './model-version.repository';
import { signatureMismatches } from './model-signature';
import { RegisterModel } from './register-model.dto';
import { AppConfig } from '../config/app-config';
import { StaleOnErrorCache } from '../common/stale-on-error-cache';
import { isUniqueViolation } from '../infra/database/postgres-errors';
import { modelRefOf } from '../webhooks/webhook-event-catalogue';
import { WebhookEvents } from '../webhooks/webhook-events';

/** Model versions: registration (checked against the ONNX file), roles, and what routing answers with. */
@Injectable()
export class ModelRegistry implements OnApplicationBootstrap {
  private readonly logger = new Logger('ModelRegistry');
  private readonly loadables = new WeakMap<ModelVersionEntity, LoadableModel>();
  /** Champion per model name, kept ROUTING_CACHE_MS: routing costs no query per request. */
  private readonly champions = new StaleOnErrorCache<ModelVersionEntity | null>(
    () => this.config.ROUTING_CACHE_MS,
    'ModelRegistry',
  );

  constructor(
    private readonly versions: ModelVersionRepository,
    private readonly store: ModelStore,
    private readonly runner: ModelRunner,
    private readonly config: AppConfig,
    private readonly webhooks: WebhookEvents,
    private readonly variants: ModelVariantRepository,
  ) {}

  /** Loads every champion and challenger so the first request does not pay for it. */
  async onApplicationBootstrap(): Promise<void> {
    for (const version of await this.versions.active()) {
      try {
        await this.runner.ensureLoaded(this.loadable(version));
      } catch (error) {
        // One unloadable version must not keep the others (or the service) down.
        this.logger.error(
          { model: version.name, version: version.version, err: error },
          'could not load model at start',
        );
      }
    }
  }

  /** `origin`: who made a `variantOf` file (a quantization job of this service, or the user). */
  async register(
    request: RegisterModel,
    upload?: Buffer,
    origin: ModelVariantEntity['origin'] = 'registered',
  ): Promise<ModelVersionEntity> {
    if (!upload && !request.path)
      throw invalid('model_file_missing', 'send the ONNX file as `file`, or a `path` under MODEL_DIR');
    if (upload && request.path) throw invalid('model_file_ambiguous', 'send either a file or a path, not both');
    if (await this.versions.find(request.name, request.version)) throw versionExists(request);
    const bytes = upload ?? (await this.store.readFromModelDir(request.path!));
    if (bytes.length === 0) throw invalid('model_file_empty', 'the model file is empty');
    const fileSha256 = ModelStore.sha256Of(bytes);
    // Registrations of the same file (on any replica) take turns, so a failed one can delete the
    // file it saved without pulling it from under another one that is about to use it.
    const saved = await this.versions.withFileLock(fileSha256, async () => {
      await this.store.save(bytes);
      return this.registerSaved(request, fileSha256, origin).catch(async (error: unknown) => {
        if (!(await this.versions.usesFile(fileSha256))) await this.store.remove(fileSha256);
        throw error;
      });
    });
    this.champions.delete(request.name);
    this.logger.log(
      { model: saved.name, version: saved.version, role: saved.role, provider: this.runner.provider(saved.id) },
      'model registered',
    );
    return saved;
  }

  /** Checks the saved file against the spec, then inserts the version (and any demotion) atomically. */
  private async registerSaved(
    request: RegisterModel,
    fileSha256: string,
    origin: ModelVariantEntity['origin'],
  ): Promise<ModelVersionEntity> {
    const parent = request.variantOf === undefined ? null : await this.variantParent(request);
    const candidate = {
      id: randomUUID(),
      name: request.name,
      version: request.version,
      fileSha256,
      labels: request.labels,
      inputSpec: request.inputSpec,
      signalSpecs: defaultSignalSpecs(request.inputSpec, request.labels.length),
      retiredAt: null,
      driftThreshold: null,
      ensembleVoting: null,
    } as const;
    // Loaded under its final id: a matching model stays loaded, a mismatch is unloaded again.
    const role = request.role ?? 'challenger';
    await this.checkSignature({ ...candidate, role, path: this.store.pathOf(fileSha256), edgesVersion: 1 });
    try {
      const relate =
        parent && ((manager: EntityManager) => this.variants.add(manager, candidate.id, parent.id, origin));
      return await this.versions.register({ ...candidate, role: request.role }, relate ?? undefined);
    } catch (error) {
      await this.runner.unload(candidate.id);
      throw isUniqueViolation(error, VERSION_UNIQUE) ? versionExists(request) : error;
    }
  }

  /** A variant's parent: an existing version of the same name with the same labels, not itself a variant. */
  private async variantParent(request: RegisterModel): Promise<ModelVersionEntity> {
    const parent = await this.versions.find(request.name, request.variantOf!);
    if (!parent)
      throw notFound(
        'variant_parent_not_found',
        `model ${request.name} has no version ${request.variantOf} (variantOf)`,
      );
    if (await this.variants.find(parent.id))
      throw unprocessable('variant_of_variant', `version ${parent.version} is itself a variant; name its parent`);
    if (JSON.stringify(parent.labels) !== JSON.stringify(request.labels))
      throw unprocessable('variant_labels_differ', `a variant needs the labels of version ${parent.version}, in order`);
    return parent;
  }

  async get(name: string, version: string): Promise<ModelVersionEntity> {
    const found = await this.versions.find(name, version);
    if (!found) throw notFound('model_version_not_found', `model ${name} has no version ${version}`);
    return found;
  }

  /** The version that answers for a model name: a given version, else the champion. */
  async resolve(name: string, version?: string): Promise<ModelVersionEntity> {
    if (version !== undefined) return this.get(name, version);
    const champion = await this.champions.get(name, () => this.versions.champion(name));
    if (champion) return champion;
    this.champions.delete(name); // a model registered a moment later answers at once
    if (await this.versions.hasAny(name))
      throw new DomainError('unavailable', 'no_champion', `model ${name} has no champion version`);
    throw notFound('model_not_found', `no model named ${name}`);
  }

  list(name?: string): Promise<ModelVersionEntity[]> {
    return this.versions.list(name);
  }

  async promote(name: string, version: string): Promise<ModelVersionEntity> {
    const target = await this.get(name, version);
    await this.runner.ensureLoaded(this.loadable(target));
    // Already champion (e.g. an experiment promoted it in its own transaction): only the cache drops.
    if (target.role !== 'champion') await this.promoteManually(target);
    this.champions.delete(name);
    return this.get(name, version);
  }

  private async promoteManually(target: ModelVersionEntity): Promise<void> {
    let eventId = '';
    await this.versions.promote(target.id, target.name, async (manager, previous) => {
      const data = {
        model: modelRefOf(target),
        previousChampion: previous && modelRefOf(previous),
        experimentId: null,
      };
      eventId = (await this.webhooks.emit(manager, 'model.promoted', { ...data, reason: 'manual' })).id;
    });
    this.logger.log({ model: target.name, version: target.version }, 'model promoted to champion');
    await this.webhooks.dispatch(eventId);
  }

  async retire(name: string, version: string): Promise<ModelVersionEntity> {
    const target = await this.get(name, version);
    if (target.role === 'champion') {
      throw conflict(
        'champion_cannot_retire',
        `version ${version} is the champion of ${name}; promote another version first`,
      );
    }
    await this.versions.setRole(target.id, 'retired');
    this.champions.delete(name);
    await this.runner.unload(target.id);
    return this.get(name, version);
  }

  /** What the runner needs of a version; one per entity object (routing hands out cached entities). */
  loadable(version: ModelVersionEntity): LoadableModel {
    let loadable = this.loadables.get(version);
    if (!loadable) {
      loadable = this.describeForRunner(version);
      this.loadables.set(version, loadable);
    }
    return loadable;
  }

  private describeForRunner(version: ModelVersionEntity): LoadableModel {
    if (!version.ensembleVoting) return { ...version, path: this.store.pathOf(version.fileSha256) };
    // An ensemble has no file: the model runner reads its members when it first loads it.
    const members = async () =>
      (await this.versions.ensembleMembers(version.id)).map(({ member, weight }) => ({
        model: this.loadable(member),
        weight,
      }));
    return { ...version, path: '', ensemble: { voting: version.ensembleVoting, members } };
  }

  private async checkSignature(model: LoadableModel): Promise<void> {
    const load = await this.runner.ensureLoaded(model);
    const problems = signatureMismatches(load.inputs, load.outputs, model.inputSpec, model.labels);
    if (problems.length) {
      await this.runner.unload(model.id);
      throw new DomainError(
        'unprocessable',
        'model_spec_mismatch',
        `the ONNX file does not match its spec: ${problems.join('; ')}`,
        {
          problems,
          inputs: load.inputs,
          outputs: load.outputs,
        },
      );
    }
  }
}

const VERSION_UNIQUE = 'uq_model_versions_name_version';

const unprocessable = (code: string, message: string) => new DomainError('unprocessable', code, message);

function versionExists(request: RegisterModel): DomainError {
  return conflict('model_version_exists', `model ${request.name} version ${request.version} is already registered`);
}
