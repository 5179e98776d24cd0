import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from '../../src/infra/net/free-port';
import { createTestDatabase } from '../support/database';
import { eventually } from '../support/eventually';
import { LogLine, logLines } from '../support/service-log';
import { ServiceProcess, spawnService, waitForStatus } from '../support/service-process';

if (!existsSync(join(__dirname, '..', '..', 'dist', 'src', 'main.js'))) {
  throw new Error('run `npm run build` first: this suite starts the built service');
}

describe('issue 14.4: secrets stay out of the log', () => {
  const webhookSecret = `whsec_${randomBytes(32).toString('base64')}`;
  const queryKey = `vigil-query-key-${randomBytes(12).toString('hex')}`;
  let service: ServiceProcess;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataDir: string;
  let url: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'vigil-logs-'));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const env = { DATABASE_URL: database.url, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'info' };
    service = spawnService({ ...env, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
    await waitForStatus(`${url}/health/ready`, 200, 60_000, service);
    // The insert of this one endpoint fails inside Postgres (a check constraint stands in for any
    // database error), so the exception filter logs TypeORM's error with the secret bound to it.
    const db = new Client({ connectionString: database.url });
    await db.connect();
    await db.query(
      `ALTER TABLE webhook_endpoints ADD CONSTRAINT refuse_doomed CHECK (description IS DISTINCT FROM 'doomed')`,
    );
    await db.end();
  });
  afterAll(async () => {
    await service.stop();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('logs a failed insert without its bound values, and keys in the query string as [redacted]', async () => {
    const body = { url: 'http://127.0.0.1:9/hook', eventTypes: ['*'], description: 'doomed', secret: webhookSecret };
    const failed = await fetch(`${url}/v1/webhooks?api_key=${queryKey}&page=2`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(failed.status).toBe(500);
    const { error } = (await failed.json()) as { error: { errorId: string } };
    const listed = await fetch(`${url}/v1/models?api_key=${queryKey}`);
    expect(listed.status).toBe(200);

    // Both requests' lines have arrived from the child's stdout.
    const ids = [failed, listed].map((response) => response.headers.get('x-request-id'));
    const requestLogged = (id: string | null) => (line: LogLine) =>
      (line.req as { id?: string } | undefined)?.id === id && /^request (completed|errored)$/.test(String(line.msg));
    const lines = await eventually(
      async () => logLines(service.output()),
      (all) => ids.every((id) => all.some(requestLogged(id))),
    );
    const output = service.output();
    // The run did log both requests and the error: the absence below is not an empty log.
    const unhandled = lines.find((line) => line.errorId === error.errorId);
    expect(unhandled).toMatchObject({
      msg: 'unhandled error',
      url: '/v1/webhooks?api_key=[redacted]&page=2',
      err: { type: 'QueryFailedError', parameters: expect.stringMatching(/^\[redacted\] \(\d+ values\)$/) },
    });
    const completed = lines.filter((line) => line.msg === 'request completed' || line.msg === 'request errored');
    expect(completed.map((line) => (line.req as { url: string }).url)).toEqual(
      expect.arrayContaining(['/v1/webhooks?api_key=[redacted]&page=2', '/v1/models?api_key=[redacted]']),
    );
    expect(completed.map((line) => (line.req as { query: object }).query)).toContainEqual({ api_key: '[redacted]' });
    expect(output).not.toContain(webhookSecret.slice(6, 30));
    expect(output).not.toContain(queryKey);
  });
});
