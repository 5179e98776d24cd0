import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { createApiApp } from './api-app';
import { listenHost } from './auth/auth-mode';
import { configOrExit, exitOnStartupFailure, HttpDrain, shutdownOnSignal } from './bootstrap';

async function main(): Promise<void> {
  const config = configOrExit();
  const app = await createApiApp(config);
  const host = listenHost(config);
  await app.listen(config.PORT, host);
  // From here on a signal drains HTTP first; during start-up Nest's own hooks still apply.
  shutdownOnSignal(app, config, new HttpDrain(app.getHttpServer()));
  app.get(Logger).log(`Vigil API listening on http://${host}:${config.PORT}`);
}

main().catch(exitOnStartupFailure);
