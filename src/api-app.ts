import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Request } from 'express';
import type { IncomingMessage } from 'node:http';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { requestIdMiddleware } from './common/request-id.middleware';
import { securityHeaders } from './common/security-headers';
import { AppConfig } from './config/app-config';
import { setupOpenApi } from './openapi/setup-openapi';
import { readsOwnBody } from './serving/oip-body-routes';

/** A body parser's type check that skips the routes reading their own body after authentication. */
const parsedHere = (types: string[]) => (message: IncomingMessage) => {
  const request = message as Request; // body-parser hands over express' request
  return !readsOwnBody(request.path) && Boolean(request.is(types));
};

/** The API application, configured the same way for main.ts and the integration tests. */
export async function createApiApp(config: AppConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, 'api'), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  if (config.TRUST_PROXY !== undefined) app.set('trust proxy', config.TRUST_PROXY);
  app.use(requestIdMiddleware);
  app.use(securityHeaders());
  app.useBodyParser('json', { type: parsedHere(['application/json']), limit: config.MAX_BODY_BYTES });
  const raw = parsedHere(['image/*', 'application/octet-stream']);
  app.useBodyParser('raw', { type: raw, limit: config.MAX_BODY_BYTES });
  setupOpenApi(app);
  app.enableShutdownHooks();
  return app;
}
