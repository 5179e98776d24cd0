export interface CachedReadOptions<T> {
  /** A read younger than this is served as is: scrapes from many Prometheus servers share one read. */
  ttlMs: number;
  /** A scrape never waits longer than this for the store; it gets the last good value instead. */
  timeoutMs: number;
  initial: T;
  onError: (error: unknown) => void;
}

/**
 * A value read at most once per ttl and shared by concurrent callers. A failed or slow read
 * keeps the last good value: while Postgres is unreachable nothing can change what it stores,
 * so that value is still the truth. A failure also waits a ttl before the next try.
 */
export class CachedRead<T> {
  private value: T;
  private readAt = Number.NEGATIVE_INFINITY;
  private inFlight?: Promise<T>;

  constructor(
    private readonly read: () => Promise<T>,
    private readonly options: CachedReadOptions<T>,
  ) {
    this.value = options.initial;
  }

  get(): Promise<T> {
    if (Date.now() - this.readAt < this.options.ttlMs) return Promise.resolve(this.value);
    this.inFlight ??= this.refresh().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async refresh(): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`read timed out after ${this.options.timeoutMs} ms`)),
        this.options.timeoutMs,
      );
    });
    try {
      this.value = await Promise.race([this.read(), timeout]);
    } catch (error) {
      this.options.onError(error);
    } finally {
      clearTimeout(timer);
      this.readAt = Date.now();
    }
    return this.value;
  }
}
