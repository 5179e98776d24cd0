import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { BodyAfterAuthInterceptor } from './auth/body-after-auth.interceptor';
import { closeWhenBodyUnread } from './common/request-body';
import { putInFront } from './common/request-front';
import { requestIdMiddleware } from './common/request-id.middleware';
import { securityHeaders } from './common/security-headers';
import { AppConfig } from './config/app-config';
import { setupOpenApi } from './openapi/setup-openapi';
import { InferenceDataPlane } from './serving/data-plane/inference-data-plane';

/** The API application, configured the same way for main.ts and the integration tests. */
export async function createApiApp(config: AppConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, 'api'), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  if (config.TRUST_PROXY !== undefined) app.set('trust proxy', config.TRUST_PROXY);
  app.use(requestIdMiddleware);
  app.use(closeWhenBodyUnread);
  app.use(securityHeaders());
  // No body parser middleware: bodies are read after the API key guard (body-after-auth.interceptor.ts).
  app.useGlobalInterceptors(new BodyAfterAuthInterceptor(config.MAX_BODY_BYTES));
  setupOpenApi(app);
  if (config.INFERENCE_DATA_PLANE) {
    const dataPlane = app.get(InferenceDataPlane);
    putInFront(app.getHttpServer(), (request, response) => dataPlane.handle(request, response));
  }
  app.enableShutdownHooks();
  return app;
}
