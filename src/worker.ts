import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { configOrExit, exitOnStartupFailure, shutdownOnSignal } from './bootstrap';

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
  app.get(Logger).log('Vigil worker started');
}

main().catch(exitOnStartupFailure);
