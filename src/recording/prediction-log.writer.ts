import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { PredictionRecord } from './prediction-record';
import { PredictionRepository } from './prediction.repository';

const BACKOFF_BASE_MS = 100;
const BACKOFF_MAX_MS = 2000;
const DROP_LOG_INTERVAL_MS = 5000;

export interface PredictionLogStats {
  buffered: number;
  written: number;
  dropped: number;
}

/**
 * Buffers predictions in memory and writes them in batches, so the request path never waits
 * on Postgres. While Postgres is unreachable rows stay buffered (bounded: the oldest go first)
 * and writes are retried with capped exponential backoff.
 */
@Injectable()
export class PredictionLogWriter implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('PredictionLogWriter');
  private buffer: PredictionRecord[] = [];
  private inFlight: PredictionRecord[] = [];
  private writing?: Promise<void>;
  private ticker?: NodeJS.Timeout;
  private retryTimer?: NodeJS.Timeout;
  private failures = 0;
  private written = 0;
  private dropped = 0;
  private droppedSinceLog = 0;
  private lastDropLog = 0;
  private closing = false;

  constructor(
    private readonly repository: PredictionRepository,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.PREDICTION_LOG_ENABLED) return;
    this.ticker = setInterval(() => this.startWrite(false), this.config.PREDICTION_FLUSH_MS);
    this.ticker.unref();
  }

  /** Synchronous and never throws: the request path only hands rows over. */
  append(records: readonly PredictionRecord[]): void {
    if (!this.config.PREDICTION_LOG_ENABLED || records.length === 0) return;
    for (const record of records) this.buffer.push(record);
    this.enforceBound();
    this.updateGauge();
    if (this.buffer.length >= this.config.PREDICTION_FLUSH_ROWS) this.startWrite(true);
  }

  /** Writes everything buffered now; rejects (rows kept) if Postgres refuses a batch. */
  async flush(): Promise<void> {
    for (;;) {
      // Another write's failure is not ours: we make our own attempt once it is done.
      while (this.writing) await this.writing.catch(() => undefined);
      if (this.buffer.length === 0) return;
      await this.writeBatches(false, true);
    }
  }

  stats(): PredictionLogStats {
    return { buffered: this.bufferedCount(), written: this.written, dropped: this.dropped };
  }

  /**
   * Shutdown: no more timer writes; retries until everything buffered is written or `deadline`
   * (epoch ms) passes. Returns the rows left unwritten (0 when all were written).
   */
  async close(deadline: number): Promise<number> {
    this.closing = true;
    clearInterval(this.ticker);
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    for (let attempt = 1; this.bufferedCount() > 0; attempt++) {
      try {
        await this.flush();
      } catch (error) {
        const wait = Math.min(backoff(attempt), deadline - Date.now());
        if (wait <= 0) {
          this.logger.error({ unwritten: this.bufferedCount(), err: error }, 'prediction rows not written at shutdown');
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
    return this.bufferedCount();
  }

  /** In-process shutdown (app.close()); the process's signal handler calls close() itself, earlier. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.close(Date.now() + this.config.SHUTDOWN_TIMEOUT_MS);
  }

  /** Background trigger (timer, size, retry): at most one write in flight; waits out a backoff. */
  private startWrite(fullBatchesOnly: boolean): void {
    if (this.closing || this.writing || this.retryTimer || this.buffer.length === 0) return;
    this.writeBatches(fullBatchesOnly, false).catch(() => undefined); // failures are handled inside
  }

  /**
   * Writes batches of at most PREDICTION_FLUSH_ROWS, one statement each, until the buffer is
   * empty (or, for a size trigger, until less than a full batch is left). On failure the batch
   * goes back to the front of the buffer and a retry is scheduled.
   */
  private writeBatches(fullBatchesOnly: boolean, rethrow: boolean): Promise<void> {
    const run = async () => {
      const size = this.config.PREDICTION_FLUSH_ROWS;
      while (this.buffer.length > 0 && (!fullBatchesOnly || this.buffer.length >= size)) {
        this.inFlight = this.buffer.splice(0, size);
        try {
          await this.repository.insertBatch(this.inFlight);
        } catch (error) {
          this.buffer = this.inFlight.concat(this.buffer);
          this.inFlight = [];
          this.enforceBound();
          this.updateGauge();
          this.scheduleRetry(error);
          if (rethrow) throw error;
          return;
        }
        this.written += this.inFlight.length;
        this.metrics.predictionsLogged.inc(this.inFlight.length);
        this.inFlight = [];
        this.updateGauge();
        if (this.failures > 0) this.logger.log({ failures: this.failures }, 'prediction log writes recovered');
        this.failures = 0;
        clearTimeout(this.retryTimer);
        this.retryTimer = undefined;
      }
    };
    const writing = run().finally(() => {
      if (this.writing === writing) this.writing = undefined;
    });
    this.writing = writing;
    return writing;
  }

  private scheduleRetry(error: unknown): void {
    this.failures++;
    const wait = backoff(this.failures);
    // First failure and then about every 30 s at the capped backoff: an outage is not log spam.
    if (this.failures === 1 || this.failures % 15 === 0) {
      this.logger.warn(
        { failures: this.failures, buffered: this.bufferedCount(), retryInMs: wait, err: error },
        'prediction log write failed; rows kept in memory',
      );
    }
    clearTimeout(this.retryTimer);
    if (this.closing) return; // the shutdown loop retries by itself
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.startWrite(false);
    }, wait);
    this.retryTimer.unref();
  }

  /** Beyond PREDICTION_BUFFER_MAX the oldest waiting rows go (not the batch being written). */
  private enforceBound(): void {
    const excess = Math.min(this.bufferedCount() - this.config.PREDICTION_BUFFER_MAX, this.buffer.length);
    if (excess <= 0) return;
    this.buffer.splice(0, excess);
    this.dropped += excess;
    this.droppedSinceLog += excess;
    this.metrics.predictionsDropped.inc(excess);
    const now = Date.now();
    if (now - this.lastDropLog >= DROP_LOG_INTERVAL_MS) {
      this.logger.warn(
        { dropped: this.droppedSinceLog, droppedTotal: this.dropped, bufferMax: this.config.PREDICTION_BUFFER_MAX },
        'prediction log buffer full; dropped the oldest rows',
      );
      this.droppedSinceLog = 0;
      this.lastDropLog = now;
    }
  }

  private bufferedCount(): number {
    return this.buffer.length + this.inFlight.length;
  }

  private updateGauge(): void {
    this.metrics.predictionLogBuffered.set(this.bufferedCount());
  }
}

function backoff(failures: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(failures - 1, 16));
}
