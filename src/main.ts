import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { configOrExit, exitOnStartupFailure } from './bootstrap';
import { requestIdMiddleware } from './common/request-id.middleware';

async function main(): Promise<void> {
  const config = configOrExit();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, 'api'), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.use(requestIdMiddleware);
  app.useBodyParser('json', { limit: config.MAX_BODY_BYTES });
  app.enableShutdownHooks();
  await app.listen(config.PORT, config.HOST);
  app.get(Logger).log(`Vigil API listening on http://${config.HOST}:${config.PORT}`);
}

main().catch(exitOnStartupFailure);
