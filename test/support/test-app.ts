import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiApp } from '../../src/api-app';
import { HttpDrain } from '../../src/bootstrap';
import { AppConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/load-config';
import { createTestDatabase } from './database';

export interface TestApp {
  app: NestExpressApplication;
  url: string;
  config: AppConfig;
  close(): Promise<void>;
}

/** The real API on a fresh database (migrated at start), a temp DATA_DIR and a random port. */
export interface TestAppOptions {
  env?: Record<string, string>;
  /** Share a database between apps (two replicas); otherwise each app gets its own. */
  database?: { url: string };
  /** Runs after the module is built and before init (register job handlers here). */
  beforeStart?: (app: NestExpressApplication) => void;
}

export async function startTestApp({ env = {}, database, beforeStart }: TestAppOptions = {}): Promise<TestApp> {
  const own = database ? undefined : await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-data-'));
  const config = new AppConfig(
    loadConfig({
      LOG_LEVEL: 'warn',
      ...env,
      DATABASE_URL: (database ?? own)!.url,
      DATA_DIR: env.DATA_DIR ?? dataDir,
      PORT: '3000',
    }),
  );
  const app = await createApiApp(config);
  beforeStart?.(app);
  await app.listen(0, '127.0.0.1');
  const drain = new HttpDrain(app.getHttpServer());
  const address = app.getHttpServer().address() as { port: number };
  return {
    app,
    url: `http://127.0.0.1:${address.port}`,
    config,
    async close() {
      // As in production (main.ts): stop listening, finish what is in flight, drop kept-alive
      // connections (a polling browser would otherwise hold app.close() open), then the hooks.
      await drain.drain();
      await app.close();
      await own?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
