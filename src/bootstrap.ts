import { INestApplicationContext, Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { putInFront } from './common/request-front';
import { AppConfig } from './config/app-config';
import { ConfigError, loadConfig } from './config/load-config';
import { ModelRunner } from './models/model-runner';
import { JobQueue } from './infra/queue/job-queue';
import { stopSchedules } from './infra/schedule/schedules';
import { HistogramAggregator } from './recording/histogram-aggregator';
import { PredictionLogWriter } from './recording/prediction-log.writer';

/** Parses the environment once; a bad value ends the process with one line. */
export function configOrExit(): AppConfig {
  try {
    return new AppConfig(loadConfig(process.env));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

/** Logs a failed start on one line and exits non-zero (the embedded Postgres is already stopped). */
export function exitOnStartupFailure(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`Vigil failed to start: ${message}\n`);
  process.exit(1);
}

/**
 * Sits in front of the whole HTTP app: counts requests in flight and, once draining, answers
 * 503 (Connection: close) to requests that still arrive on kept-alive connections.
 */
export class HttpDrain {
  private readonly inFlight = new Set<ServerResponse>();
  private draining = false;
  private refused = 0;
  private idle?: () => void;

  constructor(private readonly server: Server) {
    putInFront(server, (req, res) => this.gate(req, res));
  }

  get pending(): number {
    return this.inFlight.size;
  }

  /** Stops listening (new connections are refused), then waits for the requests in flight. */
  async drain(): Promise<{ answered: number; refused: number }> {
    this.draining = true;
    const answered = this.inFlight.size;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const res of this.inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
    this.server.closeIdleConnections();
    if (this.inFlight.size > 0) await new Promise<void>((resolve) => (this.idle = resolve));
    this.server.closeAllConnections();
    await closed;
    return { answered, refused: this.refused };
  }

  /** True when the request was answered here (503 while draining). */
  private gate(req: IncomingMessage, res: ServerResponse): boolean {
    if (this.draining) {
      this.refused++;
      const body = { error: { code: 'shutting_down', message: 'Vigil is shutting down; retry on another replica' } };
      const headers = { 'content-type': 'application/json', 'x-content-type-options': 'nosniff' };
      res.writeHead(503, { ...headers, connection: 'close', 'retry-after': '1' });
      res.end(JSON.stringify(body));
      return true;
    }
    this.inFlight.add(res);
    res.once('close', () => {
      this.inFlight.delete(res);
      if (this.inFlight.size === 0) this.idle?.();
    });
    return false;
  }
}

interface ShutdownStep {
  name: string;
  /** The log line once the step is done. */
  done: string;
  run: (deadline: number) => Promise<object | void>;
}

/**
 * SIGTERM / SIGINT: the ordered shutdown, bounded by SHUTDOWN_TIMEOUT_MS. Nothing accepted is
 * dropped: requests in flight are answered, their predictions and histogram counts written,
 * running jobs finished; Postgres (embedded or pool) goes last. Exit 0, or 1 with what was
 * still pending when the time ran out.
 */
export function shutdownOnSignal(app: INestApplicationContext, config: AppConfig, http?: HttpDrain): void {
  // The Nest hooks (enableShutdownHooks) would race this sequence and re-raise the signal.
  (app as unknown as { unsubscribeFromProcessSignals(): void }).unsubscribeFromProcessSignals();
  const logger = new Logger('Shutdown');
  let started = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (started) return logger.warn({ signal }, 'shutdown already in progress');
    started = true;
    void shutdown(app, config.SHUTDOWN_TIMEOUT_MS, signal, http, logger);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

async function shutdown(
  app: INestApplicationContext,
  timeoutMs: number,
  signal: NodeJS.Signals,
  http: HttpDrain | undefined,
  logger: Logger,
): Promise<void> {
  const startedAt = Date.now();
  const deadline = startedAt + timeoutMs;
  let step = 'start';
  setTimeout(() => {
    const pending = pendingWork(app, http);
    logger.error({ step, timeoutMs, pending }, `shutdown timed out after ${timeoutMs} ms while in step ${step}`);
    process.exit(1);
  }, timeoutMs);
  logger.log({ signal, timeoutMs }, 'shutdown started');
  try {
    for (const next of shutdownSteps(app, http)) {
      step = next.name;
      const stepStarted = Date.now();
      const detail = await next.run(deadline);
      logger.log({ step, ms: Date.now() - stepStarted, ...detail }, `shutdown: ${next.done}`);
    }
  } catch (error) {
    logger.error({ step, err: error, pending: pendingWork(app, http) }, `shutdown failed in step ${step}`);
    process.exit(1);
  }
  logger.log({ ms: Date.now() - startedAt }, 'shutdown complete');
  process.exit(0);
}

/** In dependency order: what produces predictions stops before what writes them, Postgres last. */
function shutdownSteps(app: INestApplicationContext, http?: HttpDrain): ShutdownStep[] {
  const schedules = optional(app, SchedulerRegistry);
  const runner = optional(app, ModelRunner);
  const writer = optional(app, PredictionLogWriter);
  const histograms = optional(app, HistogramAggregator);
  const jobs = optional(app, JobQueue);
  const steps: Array<ShutdownStep | undefined> = [
    http && { name: 'http', done: 'stopped taking requests; those in flight answered', run: () => http.drain() },
    schedules && {
      name: 'schedules',
      done: 'cron and interval triggers stopped',
      run: async () => stopSchedules(schedules),
    },
    runner && { name: 'inference', done: 'accepted inference finished', run: () => runner.drain() },
    writer && {
      name: 'prediction-log',
      done: 'prediction log flushed',
      run: async (deadline) => {
        nothingLeft(await writer.close(deadline), 'prediction rows');
        return { writtenSinceStart: writer.stats().written };
      },
    },
    histograms && {
      name: 'histograms',
      done: 'histogram counts flushed',
      run: async (deadline) => nothingLeft(await histograms.close(deadline), 'histogram rows'),
    },
    jobs && { name: 'jobs', done: `${jobs.driver} job consumers and queues closed`, run: () => jobs.close() },
    runner && {
      name: 'inference-workers',
      done: 'inference worker threads stopped',
      run: () => runner.beforeApplicationShutdown(),
    },
    // Nest's remaining hooks: Database closes its pool, then stops the embedded Postgres.
    { name: 'database', done: 'database closed', run: () => app.close() },
  ];
  return steps.filter((s): s is ShutdownStep => s !== undefined);
}

function nothingLeft(left: number, what: string): void {
  if (left > 0) throw new Error(`${left} ${what} could not be written before the deadline`);
}

function pendingWork(app: INestApplicationContext, http?: HttpDrain): object {
  return {
    httpRequestsInFlight: http?.pending,
    predictionRowsBuffered: optional(app, PredictionLogWriter)?.stats().buffered,
    histogramRowsPending: optional(app, HistogramAggregator)?.pendingRows(),
  };
}

function optional<T>(app: INestApplicationContext, type: abstract new (...args: never[]) => T): T | undefined {
  try {
    return app.get(type, { strict: false });
  } catch {
    return undefined; // not part of this role (the worker has no HTTP scheduler, for instance)
  }
}
