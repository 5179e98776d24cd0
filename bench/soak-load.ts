import { Agent, request } from 'node:http';
import { predictionIds } from './load';
import { Payload } from './payloads';

export interface WindowStats {
  /** Requests started in the window. */
  sent: number;
  /** 200 answers received in the window. */
  ok: number;
  /** Non-200 answers, connection errors and requests not sent because too many were in flight. */
  errors: number;
  /** The errors by reason: an HTTP status, an error code (ECONNRESET...) or `not_sent`. */
  errorReasons: Record<string, number>;
  latencyP50Ms: number;
  latencyP99Ms: number;
}

const TICK_MS = 10;
// Beyond this many unanswered requests the service is not keeping up; further ones count as errors.
const MAX_IN_FLIGHT = 2000;

/**
 * An open-loop load at a fixed rate: requests are started on a 10 ms clock whatever the answers
 * do, spread evenly over each second. autocannon's rate limit is per connection per second and
 * sends each second's quota back to back, so 80% of capacity would arrive as one burst a second.
 * Latency is measured from the moment a request is due, so queueing in the client counts too.
 */
export class PacedLoad {
  readonly predictionIds: string[] = [];
  // fifo: every pooled socket stays in use, so none idles past the server's keep-alive timeout and
  // gets reused just as the server closes it (an ECONNRESET that would be the client's doing).
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64, scheduling: 'fifo' });
  private readonly url: URL;
  private timer?: NodeJS.Timeout;
  private startedAt = 0;
  private due = 0;
  private inFlight = 0;
  private window = { sent: 0, ok: 0, errors: 0, latencies: [] as number[], errorReasons: {} as Record<string, number> };
  private idle?: () => void;

  constructor(
    baseUrl: string,
    private readonly payload: Payload,
    private readonly ratePerS: number,
  ) {
    this.url = new URL(baseUrl);
  }

  start(): void {
    this.startedAt = performance.now();
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  /** Stops starting requests and waits for the ones in flight. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    if (this.inFlight > 0) await new Promise<void>((resolve) => (this.idle = resolve));
    this.agent.destroy();
  }

  /** What happened since the last call. */
  takeWindow(): WindowStats {
    const { sent, ok, errors, latencies, errorReasons } = this.window;
    this.window = { sent: 0, ok: 0, errors: 0, latencies: [], errorReasons: {} };
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] ?? NaN;
    return { sent, ok, errors, errorReasons, latencyP50Ms: at(0.5), latencyP99Ms: at(0.99) };
  }

  private tick(): void {
    const elapsedS = (performance.now() - this.startedAt) / 1000;
    const target = Math.floor(elapsedS * this.ratePerS);
    for (; this.due < target; this.due++) {
      const dueAt = this.startedAt + (this.due / this.ratePerS) * 1000;
      if (this.inFlight >= MAX_IN_FLIGHT) this.fail('not_sent');
      else this.send(this.payload.bodies[this.due % this.payload.bodies.length], dueAt);
    }
  }

  private send(body: string | Buffer, dueAt: number): void {
    this.inFlight++;
    this.window.sent++;
    let settled = false;
    const finish = (reason: string | null, text = '') => {
      if (settled) return; // a request can report an error after its response (or twice)
      settled = true;
      this.done(reason, dueAt, text);
    };
    const req = request(
      {
        host: this.url.hostname,
        port: this.url.port,
        method: 'POST',
        path: this.payload.path,
        headers: { 'content-type': this.payload.contentType },
        agent: this.agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          finish(res.statusCode === 200 ? null : `http_${res.statusCode}`, Buffer.concat(chunks).toString()),
        );
        res.on('error', (error: NodeJS.ErrnoException) => finish(error.code ?? error.message));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => finish(error.code ?? error.message));
    req.end(body);
  }

  /** `reason` is null for a 200. */
  private done(reason: string | null, dueAt: number, body: string): void {
    this.inFlight--;
    if (reason === null) {
      this.window.ok++;
      this.window.latencies.push(performance.now() - dueAt);
      for (const id of predictionIds(body)) this.predictionIds.push(id);
    } else {
      this.fail(reason);
    }
    if (this.inFlight === 0) this.idle?.();
  }

  private fail(reason: string): void {
    this.window.errors++;
    this.window.errorReasons[reason] = (this.window.errorReasons[reason] ?? 0) + 1;
  }
}
