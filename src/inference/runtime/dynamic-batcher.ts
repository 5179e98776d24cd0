import { BatchResultMismatchError, QueueFullError } from './errors';

export interface DynamicBatcherOptions<TItem, TResult> {
  maxBatchSize: number;
  maxDelayMs: number;
  /** Waiting items (not yet dispatched) beyond which submit() rejects. */
  maxQueue: number;
  maxConcurrentBatches: number;
  runBatch: (items: TItem[]) => Promise<TResult[]>;
  /** Hint carried by QueueFullError; defaults to 1. */
  retryAfterSeconds?: number;
}

export interface BatcherStats {
  queued: number;
  /** Batches currently running. */
  running: number;
}

interface Waiting<TItem, TResult> {
  item: TItem;
  enqueuedAt: number;
  resolve: (result: TResult) => void;
  reject: (err: unknown) => void;
}

/**
 * Groups submitted items into batches: a batch leaves when maxBatchSize items wait or
 * the oldest has waited maxDelayMs, and only while a batch slot is free, so under load
 * items pile up and batches grow on their own.
 */
export class DynamicBatcher<TItem, TResult> {
  private readonly queue: Array<Waiting<TItem, TResult>> = [];
  private running = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private drainWaiters: Array<() => void> = [];

  constructor(private readonly options: DynamicBatcherOptions<TItem, TResult>) {
    const { maxBatchSize, maxDelayMs, maxQueue, maxConcurrentBatches } = options;
    if (!(maxBatchSize >= 1 && maxConcurrentBatches >= 1 && maxQueue >= 1 && maxDelayMs >= 0)) {
      throw new RangeError('batcher needs maxBatchSize, maxConcurrentBatches, maxQueue >= 1 and maxDelayMs >= 0');
    }
  }

  submit(item: TItem): Promise<TResult> {
    if (this.queue.length >= this.options.maxQueue) {
      const retryAfter = this.options.retryAfterSeconds ?? 1;
      return Promise.reject(
        new QueueFullError(`inference queue is full (${this.options.maxQueue} waiting)`, retryAfter),
      );
    }
    return new Promise<TResult>((resolve, reject) => {
      this.queue.push({ item, enqueuedAt: Date.now(), resolve, reject });
      this.pump();
    });
  }

  /** Resolves once nothing is queued or running; waiting items are flushed without delay. */
  drain(): Promise<void> {
    if (this.idle()) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.drainWaiters.push(resolve);
      this.pump();
    });
  }

  stats(): BatcherStats {
    return { queued: this.queue.length, running: this.running };
  }

  private idle(): boolean {
    return this.queue.length === 0 && this.running === 0;
  }

  private pump(): void {
    while (this.running < this.options.maxConcurrentBatches && this.ready()) {
      this.dispatch(this.queue.splice(0, this.options.maxBatchSize));
    }
    this.armTimer();
  }

  private ready(): boolean {
    if (this.queue.length === 0) return false;
    if (this.queue.length >= this.options.maxBatchSize || this.drainWaiters.length > 0) return true;
    return Date.now() - this.queue[0].enqueuedAt >= this.options.maxDelayMs;
  }

  // Fires when the oldest waiting item reaches maxDelayMs; pointless while every slot is busy.
  private armTimer(): void {
    const blocked = this.running >= this.options.maxConcurrentBatches;
    if (this.timer || this.queue.length === 0 || blocked) return;
    const wait = Math.max(0, this.queue[0].enqueuedAt + this.options.maxDelayMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, wait);
  }

  private dispatch(batch: Array<Waiting<TItem, TResult>>): void {
    this.running++;
    Promise.resolve()
      .then(() => this.options.runBatch(batch.map((w) => w.item)))
      .then(
        (results) => this.settle(batch, results),
        (err: unknown) => batch.forEach((w) => w.reject(err)),
      )
      .finally(() => {
        this.running--;
        this.pump();
        if (this.idle()) this.drainWaiters.splice(0).forEach((resolve) => resolve());
      });
  }

  private settle(batch: Array<Waiting<TItem, TResult>>, results: TResult[]): void {
    if (!Array.isArray(results) || results.length !== batch.length) {
      const got = Array.isArray(results) ? results.length : typeof results;
      const err = new BatchResultMismatchError(`runBatch returned ${got} results for ${batch.length} items`);
      batch.forEach((w) => w.reject(err));
      return;
    }
    batch.forEach((w, i) => w.resolve(results[i]));
  }
}
