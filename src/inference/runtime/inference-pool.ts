import { types } from 'node:util';
import { Worker } from 'node:worker_threads';
import { InferenceError, InvalidSignalSpecError, ModelLoadError } from './errors';
import { decodeWorkerError, type WorkerReply, type WorkerRequest } from './protocol';
import { validateSignalSpecs } from './signals';
import {
  describeAttempt,
  type InputSpec,
  type LoadResult,
  type ProviderName,
  type RunResult,
  type SignalSpec,
} from './types';
import { resolveWorkerEntry } from './worker-entry';

export type PoolLogLevel = 'info' | 'warn' | 'error';
export type PoolLogger = (level: PoolLogLevel, message: string, fields: object) => void;

export interface InferencePoolOptions {
  size: number;
  providers: ProviderName[];
  intraOpThreads: number;
  onLog?: PoolLogger;
}

export interface PoolLoadResult extends LoadResult {
  /** True when the provider in use is not the first one configured. */
  fallback: boolean;
}

export interface PoolStats {
  workers: number;
  /** Requests (runs and control messages) outstanding per worker. */
  pending: number[];
  models: string[];
}

interface Pending {
  resolve: (reply: WorkerReply) => void;
  reject: (err: Error) => void;
}

interface Slot {
  index: number;
  worker: Worker;
  pending: Map<number, Pending>;
  lastError?: Error;
}

interface ModelEntry {
  modelPath: string;
  spec: InputSpec;
  signals: SignalSpec[];
}

// A worker that keeps dying right after spawn (broken install) must not respawn in a hot loop.
const RESTART_WINDOW_MS = 60_000;
const MAX_RESTARTS_PER_WINDOW = 5;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export class InferencePool {
  private readonly slots: Array<Slot | undefined> = [];
  private readonly models = new Map<string, ModelEntry>();
  private readonly restarts: number[][] = [];
  private readonly log: PoolLogger;
  private readonly inflight = new Set<Promise<WorkerReply>>();
  private nextId = 1;
  private nextSlot = 0;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: InferencePoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 1)
      throw new RangeError('pool size must be a positive integer');
    if (options.providers.length === 0) throw new RangeError('at least one execution provider is required');
    this.log = options.onLog ?? (() => undefined);
    for (let i = 0; i < options.size; i++) {
      this.restarts.push([]);
      this.slots.push(this.spawn(i));
    }
  }

  /** Loads (or replaces) a model in every worker. On failure the key is unloaded everywhere. */
  async load(key: string, modelPath: string, spec: InputSpec, signals: SignalSpec[]): Promise<PoolLoadResult> {
    this.assertOpen();
    validateSignalSpecs(signals, spec);
    const { providers, intraOpThreads } = this.options;
    const slots = this.liveSlots();
    if (slots.length === 0) throw new ModelLoadError('no inference worker is running');
    const settled = await Promise.allSettled(
      slots.map((slot) =>
        this.request(slot, { type: 'load', key, modelPath, spec, providers, intraOpThreads, signals }),
      ),
    );
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      this.models.delete(key);
      await this.broadcast({ type: 'unload', key }).catch(() => undefined);
      throw asLoadError(failed.reason);
    }
    const reply = (settled[0] as PromiseFulfilledResult<WorkerReply>).value;
    if (reply.type !== 'loaded') throw new ModelLoadError(`unexpected worker reply '${reply.type}' to load`);
    this.models.set(key, { modelPath, spec, signals });
    const { provider, attempts, inputs, outputs } = reply;
    const result: PoolLoadResult = { provider, fallback: provider !== providers[0], attempts, inputs, outputs };
    this.logLoaded(key, result);
    return result;
  }

  /**
   * Runs n inputs through the model on the least-busy worker. `data` is transferred
   * to the worker (it is detached afterwards) unless it is a view on a larger buffer.
   */
  async run(key: string, data: Float32Array, n: number, withSignals: boolean): Promise<RunResult> {
    this.assertOpen();
    if (!this.models.has(key)) throw new InferenceError(`model '${key}' is not loaded`, 'model_not_loaded');
    const owned = ownsBuffer(data) ? data : data.slice();
    const reply = await this.request(this.leastBusy(), { type: 'run', key, data: owned, n, withSignals }, [
      owned.buffer as ArrayBuffer,
    ]);
    if (reply.type !== 'ran') throw new InferenceError(`unexpected worker reply '${reply.type}' to run`);
    return { probabilities: reply.probabilities, numClasses: reply.numClasses, signals: reply.signals };
  }

  async setSignals(key: string, signals: SignalSpec[]): Promise<void> {
    this.assertOpen();
    const entry = this.models.get(key);
    if (!entry) throw new InferenceError(`model '${key}' is not loaded`, 'model_not_loaded');
    validateSignalSpecs(signals, entry.spec);
    entry.signals = signals;
    await this.broadcast({ type: 'setSignals', key, signals });
  }

  async unload(key: string): Promise<void> {
    this.assertOpen();
    this.models.delete(key);
    await this.broadcast({ type: 'unload', key });
  }

  isLoaded(key: string): boolean {
    return this.models.has(key);
  }

  stats(): PoolStats {
    return {
      workers: this.liveSlots().length,
      pending: this.slots.map((s) => s?.pending.size ?? 0),
      models: [...this.models.keys()],
    };
  }

  /** Refuses new work, lets in-flight requests finish, then terminates the workers. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  // Terminating a worker inside a native onnxruntime call aborts the process: wait until
  // every worker is idle and has released its sessions first. The unload round trip also
  // covers a worker still starting up (loading onnxruntime), even with no model loaded.
  private async shutdown(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
    const keys = [...this.models.keys()];
    this.models.clear();
    await Promise.allSettled((keys.length ? keys : ['']).map((key) => this.broadcast({ type: 'unload', key })));
    const slots = this.liveSlots();
    this.slots.fill(undefined);
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private assertOpen(): void {
    if (this.closing) throw new InferenceError('inference pool is closed', 'pool_closed');
  }

  private liveSlots(): Slot[] {
    return this.slots.filter((s): s is Slot => s !== undefined);
  }

  private leastBusy(): Slot {
    const live = this.liveSlots();
    if (live.length === 0) throw new InferenceError('no inference worker is running', 'worker_crashed');
    // Rotate the starting point so ties spread across workers.
    this.nextSlot = (this.nextSlot + 1) % live.length;
    let best = live[this.nextSlot];
    for (const slot of live) if (slot.pending.size < best.pending.size) best = slot;
    return best;
  }

  private async broadcast(msg: DistributiveOmit<WorkerRequest, 'id'>): Promise<void> {
    await Promise.all(this.liveSlots().map((slot) => this.request(slot, msg)));
  }

  private request(
    slot: Slot,
    msg: DistributiveOmit<WorkerRequest, 'id'>,
    transfer: ArrayBuffer[] = [],
  ): Promise<WorkerReply> {
    const id = this.nextId++;
    const reply = new Promise<WorkerReply>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      try {
        slot.worker.postMessage({ ...msg, id } as WorkerRequest, transfer);
      } catch (err) {
        slot.pending.delete(id);
        reject(new InferenceError(`could not send request to worker: ${(err as Error).message}`, 'invalid_input'));
      }
    });
    this.inflight.add(reply);
    const forget = () => this.inflight.delete(reply);
    reply.then(forget, forget);
    return reply;
  }

  private spawn(index: number): Slot {
    const entry = resolveWorkerEntry();
    const worker = new Worker(entry.filename, { execArgv: entry.execArgv });
    const slot: Slot = { index, worker, pending: new Map() };
    worker.on('message', (reply: WorkerReply) => this.settle(slot, reply));
    worker.on('error', (err) => (slot.lastError = err));
    worker.on('exit', (code) => this.onExit(slot, code));
    return slot;
  }

  private settle(slot: Slot, reply: WorkerReply): void {
    const pending = slot.pending.get(reply.id);
    if (!pending) return;
    slot.pending.delete(reply.id);
    if (reply.type === 'failed') pending.reject(decodeWorkerError(reply.error));
    else pending.resolve(reply);
  }

  private onExit(slot: Slot, code: number): void {
    if (this.slots[slot.index] !== slot) return; // terminated by close()
    const reason = slot.lastError ? `: ${slot.lastError.message}` : '';
    const message = `inference worker ${slot.index} exited unexpectedly (code ${code})${reason}`;
    for (const p of slot.pending.values())
      p.reject(new InferenceError(`${message}; request aborted`, 'worker_crashed'));
    slot.pending.clear();
    this.slots[slot.index] = undefined;
    this.log('error', message, { worker: slot.index, code, error: slot.lastError?.message });
    if (!this.closing) this.replace(slot.index);
  }

  private replace(index: number): void {
    const now = Date.now();
    const recent = this.restarts[index].filter((t) => now - t < RESTART_WINDOW_MS);
    if (recent.length >= MAX_RESTARTS_PER_WINDOW) {
      this.log('error', `inference worker ${index} keeps crashing; not restarting it`, {
        worker: index,
        restarts: recent.length,
      });
      return;
    }
    this.restarts[index] = [...recent, now];
    const slot = this.spawn(index);
    this.slots[index] = slot;
    // The worker handles requests in order, so runs sent after these loads see the models.
    for (const [key, m] of this.models) {
      const { providers, intraOpThreads } = this.options;
      this.request(slot, {
        type: 'load',
        key,
        modelPath: m.modelPath,
        spec: m.spec,
        providers,
        intraOpThreads,
        signals: m.signals,
      }).catch((err: Error) =>
        this.log('error', `reloading model '${key}' in restarted worker ${index} failed`, {
          key,
          worker: index,
          error: err.message,
        }),
      );
    }
    this.log('warn', `inference worker ${index} restarted`, { worker: index, models: [...this.models.keys()] });
  }

  private logLoaded(key: string, result: PoolLoadResult): void {
    if (result.fallback) {
      const failed = result.attempts.map(describeAttempt).join(', ');
      this.log('warn', `model '${key}' fell back to execution provider ${result.provider}: ${failed}`, {
        key,
        provider: result.provider,
        configured: this.options.providers,
        failed: result.attempts,
      });
    }
    this.log('info', `model '${key}' uses execution provider ${result.provider}`, {
      key,
      provider: result.provider,
      workers: this.liveSlots().length,
    });
  }
}

function asLoadError(reason: unknown): Error {
  if (reason instanceof ModelLoadError || reason instanceof InvalidSignalSpecError) return reason;
  return new ModelLoadError(`loading model failed: ${reason instanceof Error ? reason.message : String(reason)}`);
}

// Only a plain ArrayBuffer the array fully covers may be transferred (not Node's pooled or shared memory).
// types.isArrayBuffer works across realms (jest's vm contexts), unlike instanceof.
function ownsBuffer(data: Float32Array): boolean {
  return data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && types.isArrayBuffer(data.buffer);
}
