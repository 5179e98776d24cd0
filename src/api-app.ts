import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { requestIdMiddleware } from './common/request-id.middleware';
import { AppConfig } from './config/app-config';
import { setupOpenApi } from './openapi/setup-openapi';

/** The API application, configured the same way for main.ts and the integration tests. */
export async function createApiApp(config: AppConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, 'api'), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  if (config.TRUST_PROXY !== undefined) app.set('trust proxy', config.TRUST_PROXY);
  app.use(requestIdMiddleware);
  app.useBodyParser('json', { limit: config.MAX_BODY_BYTES });
  app.useBodyParser('raw', { type: ['image/*', 'application/octet-stream'], limit: config.MAX_BODY_BYTES });
  setupOpenApi(app);
  app.enableShutdownHooks();
  return app;
}
