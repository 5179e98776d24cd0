import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from '../../src/infra/net/free-port';
import { exitCode, ServiceProcess, spawnService, waitForStatus } from '../support/service-process';

const built = existsSync(join(__dirname, '..', '..', 'dist', 'src', 'main.js'));
if (!built) throw new Error('run `npm run build` first: this suite starts the built service');

describe('the built service', () => {
  it.each([
    [{ PORT: 'abc' }, /^Invalid configuration: PORT .*"abc"/],
    [{ DATABASE_URL: 'not-a-url' }, /^Invalid configuration: DATABASE_URL is not a valid URL$/],
  ])('refuses to start with %j, on one line naming the variable', async (env, message) => {
    const service = spawnService(env);
    expect(await exitCode(service)).toBe(1);
    const lines = service.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });

  it('starts on embedded Postgres without DATABASE_URL, stops cleanly and keeps its data', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vigil-e2e-'));
    const port = await freePort();
    const env = {
      DATABASE_URL: undefined,
      REDIS_URL: undefined,
      DATA_DIR: dataDir,
      PORT: String(port),
      LOG_LEVEL: 'info',
    };
    const services: ServiceProcess[] = [];
    try {
      const first = spawnService(env);
      services.push(first);
      const readyMs = await waitForStatus(`http://127.0.0.1:${port}/health/ready`, 200, 30_000, first);
      expect(readyMs).toBeLessThan(30_000);
      await withEmbeddedDatabase(first.output(), dataDir, (db) =>
        db.query(`INSERT INTO model_versions (name, version, role, file_sha256, labels, input_spec, signal_specs)
                  VALUES ('persist', 'v1', 'champion', 'x', '[]', '{}', '[]')`),
      );
      await first.stop();
      expect(first.output()).toContain('embedded Postgres stopped');

      const second = spawnService(env);
      services.push(second);
      await waitForStatus(`http://127.0.0.1:${port}/health/ready`, 200, 30_000, second);
      const rows = await withEmbeddedDatabase(second.output(), dataDir, (db) =>
        db.query(`SELECT version FROM model_versions WHERE name = 'persist'`),
      );
      expect(rows.rows).toEqual([{ version: 'v1' }]);
      await second.stop();
      expect(second.output()).toContain('embedded Postgres stopped');
    } finally {
      if (process.env.DEBUG_E2E) services.forEach((s) => console.log(s.output()));
      await Promise.all(services.map((service) => service.stop('SIGKILL')));
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

/** Connects to the embedded Postgres of a running service (port from its log, generated password). */
async function withEmbeddedDatabase<T>(log: string, dataDir: string, fn: (db: Client) => Promise<T>): Promise<T> {
  const port = /embedded Postgres listening on 127\.0\.0\.1:(\d+)/.exec(log)?.[1];
  if (!port) throw new Error(`no embedded Postgres port in the log:\n${log}`);
  const password = readFileSync(join(dataDir, 'embedded-postgres.secret'), 'utf8').trim();
  const db = new Client({ host: '127.0.0.1', port: Number(port), user: 'vigil', password, database: 'postgres' });
  await db.connect();
  try {
    return await fn(db);
  } finally {
    await db.end();
  }
}
