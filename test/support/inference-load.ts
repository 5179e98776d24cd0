import { DigitImage } from './digits';

/** One prediction the service answered 200 for: what the client was told, and when. */
export interface AcknowledgedPrediction {
  predictionId: string;
  classIndex: number;
  /** performance.now() when the answer arrived. */
  at: number;
}

/**
 * Concurrent clients posting single images to `/v1/models/{model}/predict` until stopped or
 * until the service stops answering. Records every acknowledged prediction and every outcome.
 */
export class InferenceLoad {
  readonly acknowledged: AcknowledgedPrediction[] = [];
  /** HTTP status per answer; 0 for a request that got no answer (refused or cut connection). */
  readonly outcomes = new Map<number, number>();
  private running = false;
  private clients: Promise<void>[] = [];
  private waiters: Array<{ target: number; resolve: () => void }> = [];

  constructor(
    private readonly baseUrl: string,
    private readonly images: DigitImage[],
    private readonly model = 'digits',
  ) {}

  start(concurrency: number): void {
    this.running = true;
    this.clients = Array.from({ length: concurrency }, (_, i) => this.client(i));
  }

  /** Resolves once `n` more predictions have been acknowledged. */
  untilAcknowledged(n: number, timeoutMs = 30_000): Promise<void> {
    const target = this.acknowledged.length + n;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${this.acknowledged.length} of ${target} predictions answered`)),
        timeoutMs,
      );
      this.waiters.push({ target, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.clients);
  }

  /** Predictions acknowledged at or after `since` (performance.now() time). */
  acknowledgedSince(since: number): number {
    return this.acknowledged.filter((a) => a.at >= since).length;
  }

  private async client(offset: number): Promise<void> {
    for (let i = offset; this.running; i += 7) {
      const image = this.images[i % this.images.length];
      const status = await this.predict(image);
      this.outcomes.set(status, (this.outcomes.get(status) ?? 0) + 1);
      // A service that is gone stays gone: no hot loop of refused connections.
      if (status === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private async predict(image: DigitImage): Promise<number> {
    try {
      const response = await fetch(`${this.baseUrl}/v1/models/${this.model}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'image/png' },
        body: image.bytes,
      });
      if (response.status !== 200) {
        await response.arrayBuffer();
        return response.status;
      }
      const body = (await response.json()) as { predictions: Array<{ prediction_id: string; class_index: number }> };
      const at = performance.now();
      for (const p of body.predictions)
        this.acknowledged.push({ predictionId: p.prediction_id, classIndex: p.class_index, at });
      this.notify();
      return 200;
    } catch {
      return 0;
    }
  }

  private notify(): void {
    const reached = this.waiters.filter((w) => w.target <= this.acknowledged.length);
    this.waiters = this.waiters.filter((w) => w.target > this.acknowledged.length);
    for (const waiter of reached) waiter.resolve();
  }
}
