import { Logger } from '@nestjs/common';

/**
 * Keeps each value `ttlMs`; when a refresh fails (Postgres restarting) the last value keeps
 * answering for another `ttlMs` instead of failing the request, and the failure is logged once
 * per key until a refresh succeeds. Without a value to fall back on, the error propagates.
 */
export class StaleOnErrorCache<T> {
  private readonly entries = new Map<string, { value: T; at: number; stale: boolean }>();
  private readonly logger: Logger;

  constructor(
    private readonly ttlMs: () => number,
    context: string,
  ) {
    this.logger = new Logger(context);
  }

  async get(key: string, load: () => Promise<T>): Promise<T> {
    const entry = this.entries.get(key);
    if (entry && Date.now() - entry.at < this.ttlMs()) return entry.value;
    try {
      const value = await load();
      this.entries.set(key, { value, at: Date.now(), stale: false });
      return value;
    } catch (error) {
      if (!entry) throw error;
      if (!entry.stale) this.logger.warn({ key, err: error }, 'refresh failed; serving the last known value');
      this.entries.set(key, { ...entry, at: Date.now(), stale: true });
      return entry.value;
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
