import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { createApiApp } from './api-app';
import { configOrExit, exitOnStartupFailure } from './bootstrap';

async function main(): Promise<void> {
  const config = configOrExit();
  const app = await createApiApp(config);
  await app.listen(config.PORT, config.HOST);
  app.get(Logger).log(`Vigil API listening on http://${config.HOST}:${config.PORT}`);
}

main().catch(exitOnStartupFailure);
