import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
import { OncePerKey } from '../common/once-per-key';
import { AppConfig } from '../config/app-config';
import { EnsembleSessions, type LoadableEnsemble, type MemberAnswer } from '../ensembles/ensemble-sessions';
import { InferenceRuntime } from '../inference/inference-runtime';
import { modelLoadFailure } from '../inference/model-load-failure';
import type { OipModelInput } from '../inference/oip';
import { ImageBatchDecoder } from '../inference/preprocess/image-batch-decoder';
import type { ImageTensor } from '../inference/preprocess/image-preprocessor';
import { TensorBodyParser } from '../inference/preprocess/tensor-body-parser';
import type { ParsedTensorBody } from '../inference/preprocess/tensor-body.worker';
import { InferenceError, ModelLoadError, QueueFullError } from '../inference/runtime/errors';
import type { PoolLoadResult } from '../inference/runtime/inference-pool';
import type { BatchSignals, InputSpec, ProviderName, SignalSpec } from '../inference/runtime/types';
import { MetricsService } from '../metrics/metrics.service';

/** What the runner needs to know of a model version. */
export interface LoadableModel {
  id: string;
  name: string;
  version: string;
  role: string;
  labels: string[];
  path: string;
  inputSpec: InputSpec;
  signalSpecs: SignalSpec[];
  edgesVersion: number;
  /** Set for an ensemble version: it has no file, its members run instead (EnsembleSessions). */
  ensemble?: LoadableEnsemble;
}

/** A loaded version: the provider that runs it and its declared inputs and outputs. */
export type ModelDescription = PoolLoadResult;

export interface ItemResult {
  probabilities: Float32Array;
  latencyMs: number;
  /** An ensemble's members' answers, in member order. */
  members?: MemberAnswer[];
  /** Signal counts for the recorder: a batch's on one of its items (see InferenceRuntime). */
  signals?: Array<Promise<BatchSignals | undefined>>;
}

interface Loaded {
  model: LoadableModel;
  load: ModelDescription;
}

/**
 * The one front door for inference: a version's load (once, with its provider and description),
 * its preprocessing (images, OIP tensor bodies), and its inputs through the runtime's batcher, or
 * through its members for an ensemble. The only user of the inference runtime.
 */
@Injectable()
export class ModelRunner implements BeforeApplicationShutdown {
  private readonly logger = new Logger('ModelRunner');
  private readonly loaded = new OncePerKey<Loaded>();
  private readonly ensembles: EnsembleSessions;

  constructor(
    private readonly runtime: InferenceRuntime,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
    private readonly images: ImageBatchDecoder,
    private readonly bodies: TensorBodyParser,
  ) {
    this.ensembles = new EnsembleSessions(this, config.HISTOGRAMS_ENABLED);
  }

  /** Loads (once) and returns the provider in use and the model's declared inputs/outputs. */
  async ensureLoaded(model: LoadableModel): Promise<ModelDescription> {
    if (model.ensemble) return this.ensembles.ensureLoaded(model);
    return (this.loaded.get(model.id) ?? (await this.loaded.obtain(model.id, () => this.load(model)))).load;
  }

  edgesVersion(modelVersionId: string): number | undefined {
    return this.loaded.get(modelVersionId)?.model.edgesVersion ?? this.ensembles.edgesVersion(modelVersionId);
  }

  provider(modelVersionId: string): ProviderName | undefined {
    return this.loaded.get(modelVersionId)?.load.provider ?? this.ensembles.provider(modelVersionId);
  }

  /** A request's images as model inputs: bounded decoding, shared fairly between clients. */
  decodeImages(client: string, images: Buffer[], spec: InputSpec): Promise<ImageTensor[]> {
    return this.images.toTensors(client, images, spec);
  }

  /** An Open Inference Protocol infer body (JSON or binary tensors) as the model's input rows. */
  parseTensorBody(body: Buffer, headerLength: string | undefined, io: OipModelInput): Promise<ParsedTensorBody> {
    return this.bodies.parse(body, headerLength, io);
  }

  /** Runs one input (C*H*W floats) through the model's batcher. */
  async infer(model: LoadableModel, tensor: Float32Array): Promise<ItemResult> {
    if (model.ensemble) return this.ensembles.infer(model, tensor);
    if (!this.loaded.has(model.id)) await this.ensureLoaded(model);
    try {
      const { probabilities, latencyMs, signals } = await this.runtime.submit(model.id, tensor);
      return { probabilities, latencyMs, signals: signals && [signals] };
    } catch (error) {
      throw toDomainError(error);
    }
  }

  /** Probabilities for `n` inputs, outside the batcher and the histograms (reference sets). */
  async score(model: LoadableModel, data: Float32Array, n: number): Promise<Float32Array> {
    if (model.ensemble) return this.ensembles.score(model, data, n);
    await this.ensureLoaded(model);
    return this.runtime.score(model.id, data, n);
  }

  async updateSignals(model: LoadableModel): Promise<void> {
    if (model.ensemble) return this.ensembles.updateSignals(model);
    const entry = this.loaded.get(model.id);
    if (!entry) return;
    entry.model = model;
    await this.runtime.setSignals(model);
  }

  async unload(modelVersionId: string): Promise<void> {
    if (this.ensembles.unload(modelVersionId)) return;
    const entry = this.loaded.get(modelVersionId);
    if (!entry) return;
    this.loaded.delete(modelVersionId);
    await this.runtime.unload(modelVersionId);
    this.metrics.modelInfo.remove({ model: entry.model.name, version: entry.model.version });
  }

  /** Finishes every inference already accepted; the worker threads stay up (running jobs may score). */
  drain(): Promise<void> {
    return this.runtime.drain();
  }

  /** Finishes what was accepted, then stops the worker threads. Safe to call twice. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.runtime.drain();
    await this.ensembles.close();
    await this.runtime.close();
  }

  private async load(model: LoadableModel): Promise<Loaded> {
    let load: ModelDescription;
    try {
      load = await this.runtime.load(model);
    } catch (error) {
      throw error instanceof ModelLoadError ? modelLoadFailure(error, model, this.logger) : error;
    }
    const labels = { model: model.name, version: model.version };
    this.metrics.modelInfo.labels({ ...labels, provider: load.provider }).set(1);
    if (load.fallback) {
      const reason = load.attempts[0]?.reason ?? 'load_failed';
      this.metrics.providerFallbacks
        .labels({ ...labels, from: this.config.INFERENCE_PROVIDERS[0], to: load.provider, reason })
        .inc();
    }
    return { model, load };
  }
}

function toDomainError(error: unknown): unknown {
  if (error instanceof QueueFullError) {
    return new DomainError('unavailable', 'queue_full', error.message, undefined, error.retryAfterSeconds);
  }
  if (error instanceof InferenceError && error.code === 'invalid_input') {
    return new DomainError('invalid', 'invalid_input', error.message);
  }
  return error;
}
