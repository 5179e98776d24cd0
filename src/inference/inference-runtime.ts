import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
import { EnsembleSessions, type LoadableEnsemble, type MemberAnswer } from '../ensembles/ensemble-sessions';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { HistogramAggregator } from '../monitoring/histogram-aggregator';
import { modelLoadFailure } from './model-load-failure';
import { DynamicBatcher } from './runtime/dynamic-batcher';
import { InferenceError, ModelLoadError, QueueFullError } from './runtime/errors';
import { InferencePool, PoolLoadResult } from './runtime/inference-pool';
import { inputSize, InputSpec, ProviderName, SignalSpec } from './runtime/types';

/** What the runtime needs to know of a model version. */
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

export interface ItemResult {
  probabilities: Float32Array;
  latencyMs: number;
  /** An ensemble's members' answers, in member order. */
  members?: MemberAnswer[];
}

interface Loaded {
  model: LoadableModel;
  load: PoolLoadResult;
  batcher: DynamicBatcher<Float32Array, ItemResult>;
}

/**
 * Sessions live in worker threads (session.run blocks the event loop); each model version has
 * its own dynamic batcher in front of the pool. Batch signal counts go to the histograms.
 */
@Injectable()
export class InferenceRuntime implements BeforeApplicationShutdown {
  private readonly logger = new Logger('InferenceRuntime');
  private readonly pool: InferencePool;
  private readonly loaded = new Map<string, Loaded>();
  private readonly loading = new Map<string, Promise<Loaded>>();
  private readonly ensembles: EnsembleSessions;

  constructor(
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
    private readonly histograms: HistogramAggregator,
  ) {
    this.ensembles = new EnsembleSessions(this, histograms, config.HISTOGRAMS_ENABLED);
    this.pool = new InferencePool({
      size: config.INFERENCE_WORKERS,
      providers: config.INFERENCE_PROVIDERS,
      intraOpThreads: config.INFERENCE_INTRA_OP_THREADS,
      onLog: (level, message, fields) => {
        const entry = { ...fields, msg: message };
        if (level === 'info') this.logger.log(entry);
        else if (level === 'warn') this.logger.warn(entry);
        else this.logger.error(entry);
      },
    });
    // Read at scrape time: a gauge set at submission would keep a burst's depth forever.
    metrics.observeInferenceQueues(() =>
      [...this.loaded.values()].map((e) => ({
        model: e.model.name,
        version: e.model.version,
        queued: e.batcher.stats().queued,
      })),
    );
  }

  /** Loads (once) and returns the provider in use and the model's declared inputs/outputs. */
  async ensureLoaded(model: LoadableModel): Promise<PoolLoadResult> {
    if (model.ensemble) return this.ensembles.ensureLoaded(model);
    const existing = this.loaded.get(model.id);
    if (existing) return existing.load;
    let pending = this.loading.get(model.id);
    if (!pending) {
      pending = this.load(model).finally(() => this.loading.delete(model.id));
      this.loading.set(model.id, pending);
    }
    return (await pending).load;
  }

  edgesVersion(modelVersionId: string): number | undefined {
    return this.loaded.get(modelVersionId)?.model.edgesVersion ?? this.ensembles.edgesVersion(modelVersionId);
  }

  provider(modelVersionId: string): ProviderName | undefined {
    return this.loaded.get(modelVersionId)?.load.provider ?? this.ensembles.provider(modelVersionId);
  }

  /** Runs one input (C*H*W floats) through the model's batcher. */
  async infer(model: LoadableModel, tensor: Float32Array): Promise<ItemResult> {
    if (model.ensemble) return this.ensembles.infer(model, tensor);
    if (!this.loaded.has(model.id)) await this.ensureLoaded(model);
    const entry = this.loaded.get(model.id)!;
    try {
      return await entry.batcher.submit(tensor);
    } catch (error) {
      throw this.toDomainError(error);
    }
  }

  /** Probabilities for `n` inputs, outside the batcher and the histograms (reference sets). */
  async score(model: LoadableModel, data: Float32Array, n: number): Promise<Float32Array> {
    if (model.ensemble) return this.ensembles.score(model, data, n);
    await this.ensureLoaded(model);
    // The pool takes ownership of the buffer it is given.
    const result = await this.pool.run(model.id, data.slice(), n, false);
    return result.probabilities;
  }

  async updateSignals(model: LoadableModel): Promise<void> {
    if (model.ensemble) return this.ensembles.updateSignals(model);
    const entry = this.loaded.get(model.id);
    if (!entry) return;
    entry.model = model;
    await this.pool.setSignals(model.id, model.signalSpecs);
  }

  async unload(modelVersionId: string): Promise<void> {
    if (this.ensembles.unload(modelVersionId)) return;
    const entry = this.loaded.get(modelVersionId);
    if (!entry) return;
    this.loaded.delete(modelVersionId);
    await entry.batcher.drain();
    await this.pool.unload(modelVersionId);
    this.metrics.modelInfo.remove({ model: entry.model.name, version: entry.model.version });
  }

  /** Finishes every inference already accepted; the worker threads stay up (running jobs may score). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.loaded.values()].map((entry) => entry.batcher.drain()));
  }

  /** Finishes what was accepted, then stops the worker threads. Safe to call twice. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.drain();
    await this.ensembles.close();
    await this.pool.close();
  }

  private async load(model: LoadableModel): Promise<Loaded> {
    let load: PoolLoadResult;
    try {
      load = await this.pool.load(model.id, model.path, model.inputSpec, model.signalSpecs);
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
    const entry: Loaded = { model, load, batcher: this.batcher(model) };
    this.loaded.set(model.id, entry);
    return entry;
  }

  private batcher(model: LoadableModel): DynamicBatcher<Float32Array, ItemResult> {
    const size = inputSize(model.inputSpec);
    const batchSize = this.metrics.batchSize.labels({ model: model.name, version: model.version });
    return new DynamicBatcher<Float32Array, ItemResult>({
      maxBatchSize: this.config.BATCH_MAX_SIZE,
      maxDelayMs: this.config.BATCH_MAX_DELAY_MS,
      maxQueue: this.config.BATCH_MAX_QUEUE,
      maxConcurrentBatches: this.config.INFERENCE_WORKERS,
      runBatch: async (items) => {
        const started = performance.now();
        const data = new Float32Array(items.length * size);
        items.forEach((item, i) => data.set(item, i * size));
        const withSignals = this.config.HISTOGRAMS_ENABLED;
        const edgesVersion = this.loaded.get(model.id)?.model.edgesVersion;
        const result = await this.pool.run(model.id, data, items.length, withSignals);
        // Counts binned with edges that were replaced meanwhile are not comparable: dropped.
        if (result.signals && this.loaded.get(model.id)?.model.edgesVersion === edgesVersion) {
          this.histograms.add(model.id, edgesVersion!, result.signals, new Date());
        }
        batchSize.observe(items.length);
        const latencyMs = performance.now() - started;
        const k = result.numClasses;
        return items.map((_, i) => ({ probabilities: result.probabilities.subarray(i * k, (i + 1) * k), latencyMs }));
      },
    });
  }

  private toDomainError(error: unknown): unknown {
    if (error instanceof QueueFullError) {
      return new DomainError('unavailable', 'queue_full', error.message, undefined, error.retryAfterSeconds);
    }
    if (error instanceof InferenceError && error.code === 'invalid_input') {
      return new DomainError('invalid', 'invalid_input', error.message);
    }
    return error;
  }
}
