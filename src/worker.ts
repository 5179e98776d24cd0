import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { listenHost } from './auth/auth-mode';
import { configOrExit, exitOnStartupFailure, shutdownOnSignal } from './bootstrap';
import { startMetricsServer } from './metrics/metrics-http-server';
import { MetricsService } from './metrics/metrics.service';

/** The worker process: no HTTP, consumes the BullMQ queues with the same handlers as the API. */
async function main(): Promise<void> {
  const config = configOrExit();
  if (!config.REDIS_URL) {
    process.stderr.write('Invalid configuration: REDIS_URL is required by the worker process\n');
    process.exit(1);
  }
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, 'worker'), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.init();
  shutdownOnSignal(app, config);
  const host = listenHost(config);
  if (config.METRICS_PORT) await startMetricsServer(app.get(MetricsService), host, config.METRICS_PORT);
  const metrics = config.METRICS_PORT ? `; metrics on http://${host}:${config.METRICS_PORT}/metrics` : '';
  app.get(Logger).log(`Vigil worker started${metrics}`);
}

main().catch(exitOnStartupFailure);
