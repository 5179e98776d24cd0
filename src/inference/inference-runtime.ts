import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { DynamicBatcher } from './runtime/dynamic-batcher';
import { InferencePool, PoolLoadResult } from './runtime/inference-pool';
import { BatchSignals, inputSize, InputSpec, SignalSpec } from './runtime/types';

/** A model version as the runtime runs it: a file, its input layout and the signals it counts. */
export interface RuntimeVersion {
  id: string;
  name: string;
  version: string;
  path: string;
  inputSpec: InputSpec;
  signalSpecs: SignalSpec[];
  edgesVersion: number;
}

export interface BatchedResult {
  probabilities: Float32Array;
  latencyMs: number;
  /**
   * The signal counts of the batch this input ran in, on one item of the batch only (the first),
   * so that they are recorded once. Undefined when counts are off or the edges changed meanwhile.
   */
  signals?: Promise<BatchSignals | undefined>;
}

interface Batched {
  version: RuntimeVersion;
  batcher: DynamicBatcher<Float32Array, BatchedResult>;
}

/**
 * The worker pool (sessions live in worker threads: session.run blocks the event loop) and a
 * dynamic batcher per model version in front of it. It knows files and tensors, not model
 * registries: models/model-runner.ts is its only user.
 */
@Injectable()
export class InferenceRuntime {
  private readonly logger = new Logger('InferenceRuntime');
  private readonly pool: InferencePool;
  private readonly batched = new Map<string, Batched>();

  constructor(
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {
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
      [...this.batched.values()].map((e) => ({
        model: e.version.name,
        version: e.version.version,
        queued: e.batcher.stats().queued,
      })),
    );
  }

  /** Loads the file in every worker (throws ModelLoadError) and puts a batcher in front of it. */
  async load(version: RuntimeVersion): Promise<PoolLoadResult> {
    const load = await this.pool.load(version.id, version.path, version.inputSpec, version.signalSpecs);
    this.batched.set(version.id, { version, batcher: this.batcher(version) });
    return load;
  }

  /** One input (C*H*W floats) through the version's batcher; throws QueueFullError, InferenceError. */
  submit(id: string, tensor: Float32Array): Promise<BatchedResult> {
    const entry = this.batched.get(id);
    if (!entry) return Promise.reject(new Error(`model version ${id} is not loaded`));
    return entry.batcher.submit(tensor);
  }

  /** Probabilities for `n` inputs, outside the batcher and without signal counts (reference sets). */
  async score(id: string, data: Float32Array, n: number): Promise<Float32Array> {
    // The pool takes ownership of the buffer it is given.
    return (await this.pool.run(id, data.slice(), n, false)).probabilities;
  }

  /** New signal specs (edges); counts of batches still running with the old edges are dropped. */
  async setSignals(version: RuntimeVersion): Promise<void> {
    const entry = this.batched.get(version.id);
    if (!entry) return;
    entry.version = version;
    await this.pool.setSignals(version.id, version.signalSpecs);
  }

  async unload(id: string): Promise<void> {
    const entry = this.batched.get(id);
    this.batched.delete(id);
    await entry?.batcher.drain();
    await this.pool.unload(id);
  }

  /** Finishes every inference already accepted; the worker threads stay up (running jobs may score). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.batched.values()].map((entry) => entry.batcher.drain()));
  }

  /** Finishes what was accepted, then stops the worker threads. Safe to call twice. */
  async close(): Promise<void> {
    await this.drain();
    await this.pool.close();
  }

  private edgesVersion(id: string): number | undefined {
    return this.batched.get(id)?.version.edgesVersion;
  }

  private batcher(version: RuntimeVersion): DynamicBatcher<Float32Array, BatchedResult> {
    const size = inputSize(version.inputSpec);
    const batchSize = this.metrics.batchSize.labels({ model: version.name, version: version.version });
    const withSignals = this.config.HISTOGRAMS_ENABLED;
    return new DynamicBatcher<Float32Array, BatchedResult>({
      maxBatchSize: this.config.BATCH_MAX_SIZE,
      maxDelayMs: this.config.BATCH_MAX_DELAY_MS,
      maxQueue: this.config.BATCH_MAX_QUEUE,
      maxConcurrentBatches: this.config.INFERENCE_WORKERS,
      runBatch: async (items) => {
        const started = performance.now();
        const data = new Float32Array(items.length * size);
        for (let i = 0; i < items.length; i++) data.set(items[i], i * size);
        const edgesVersion = this.edgesVersion(version.id);
        const result = await this.pool.run(version.id, data, items.length, withSignals);
        batchSize.observe(items.length);
        const latencyMs = performance.now() - started;
        const k = result.numClasses;
        const answers: BatchedResult[] = items.map((_, i) => ({
          probabilities: result.probabilities.subarray(i * k, (i + 1) * k),
          latencyMs,
        }));
        // Counts binned with edges that were replaced meanwhile are not comparable: dropped.
        if (result.signals && edgesVersion !== undefined && this.edgesVersion(version.id) === edgesVersion) {
          answers[0].signals = Promise.resolve({ modelVersionId: version.id, edgesVersion, counts: result.signals });
        }
        return answers;
      },
    });
  }
}
