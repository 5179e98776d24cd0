import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { SignalCounts } from '../inference/runtime/types';
import { HistogramMinuteRow, HistogramRepository } from './histogram.repository';

const MINUTE_MS = 60_000;
const CLOSE_RETRY_BASE_MS = 100;
const CLOSE_RETRY_MAX_MS = 2000;

/**
 * Adds bin counts in memory per (model version, edges version, signal, UTC minute) and
 * flushes them as additive upserts. Counts only ever add up, so a failed flush is merged back
 * and retried, and replicas flush independently.
 */
@Injectable()
export class HistogramAggregator implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('HistogramAggregator');
  private pending = new Map<string, HistogramMinuteRow>();
  private flushing?: Promise<void>;
  private ticker?: NodeJS.Timeout;
  private failures = 0;

  constructor(
    private readonly repository: HistogramRepository,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.HISTOGRAMS_ENABLED) return;
    this.ticker = setInterval(() => {
      this.flush().catch(() => undefined); // logged in flushOnce; merged back for the next tick
    }, this.config.HISTOGRAM_FLUSH_MS);
    this.ticker.unref();
  }

  add(modelVersionId: string, edgesVersion: number, counts: SignalCounts, at: Date): void {
    if (!this.config.HISTOGRAMS_ENABLED) return;
    const minute = new Date(Math.floor(at.getTime() / MINUTE_MS) * MINUTE_MS);
    for (const [signal, bins] of Object.entries(counts)) {
      // One bad value would fail every later flush of the batch it sits in: keep it out.
      if (!bins.every((c) => Number.isSafeInteger(c) && c >= 0)) {
        this.logger.warn({ modelVersionId, signal }, 'histogram counts are not non-negative integers; skipped');
        continue;
      }
      this.merge({ modelVersionId, edgesVersion, signal, minute, counts: bins });
    }
  }

  /** Writes everything accumulated so far (one statement); on failure it stays pending. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing.catch(() => undefined);
    if (this.pending.size === 0) return;
    const flushing = this.flushOnce().finally(() => {
      if (this.flushing === flushing) this.flushing = undefined;
    });
    this.flushing = flushing;
    await flushing;
  }

  /** Rows waiting for the next flush (for tests and diagnostics). */
  pendingRows(): number {
    return this.pending.size;
  }

  /**
   * Shutdown: no more timer flushes; retries (capped backoff) until the counts are written or
   * `deadline` (epoch ms) passes. Returns the rows left unwritten.
   */
  async close(deadline: number): Promise<number> {
    clearInterval(this.ticker);
    for (let attempt = 1; this.pending.size > 0; attempt++) {
      try {
        await this.flush();
      } catch (error) {
        const wait = Math.min(CLOSE_RETRY_MAX_MS, CLOSE_RETRY_BASE_MS * 2 ** (attempt - 1), deadline - Date.now());
        if (wait <= 0) {
          this.logger.error({ rows: this.pending.size, err: error }, 'histogram counts not written at shutdown');
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
    return this.pending.size;
  }

  /** In-process shutdown (app.close()); the process's signal handler calls close() itself, earlier. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.close(Date.now() + this.config.SHUTDOWN_TIMEOUT_MS);
  }

  private async flushOnce(): Promise<void> {
    const rows = [...this.pending.values()];
    this.pending = new Map();
    try {
      await this.repository.upsertAdditive(rows);
      if (this.failures > 0) this.logger.log({ failures: this.failures }, 'histogram flush recovered');
      this.failures = 0;
    } catch (error) {
      for (const row of rows) this.merge(row);
      this.failures++;
      this.logger.warn({ rows: rows.length, failures: this.failures, err: error }, 'histogram flush failed; kept');
      throw error;
    }
  }

  private merge(row: HistogramMinuteRow): void {
    const key = `${row.modelVersionId}|${row.edgesVersion}|${row.signal}|${row.minute.getTime()}`;
    const existing = this.pending.get(key);
    if (!existing) {
      this.pending.set(key, { ...row, counts: [...row.counts] });
      return;
    }
    for (let i = 0; i < row.counts.length; i++) existing.counts[i] = (existing.counts[i] ?? 0) + row.counts[i];
  }
}
