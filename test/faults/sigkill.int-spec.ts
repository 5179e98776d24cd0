import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from '../../src/infra/net/free-port';
import { createTestDatabase } from '../support/database';
import { digitImages, registerDigitsModel } from '../support/digits';
import { InferenceLoad } from '../support/inference-load';
import { exitCode, ServiceProcess, spawnService, waitForStatus } from '../support/service-process';

if (!existsSync(join(__dirname, '..', '..', 'dist', 'src', 'main.js'))) {
  throw new Error('run `npm run build` first: this suite starts the built service');
}

// The defaults, spelled out: the bound below is stated in their terms.
const FLUSH_MS = 100;
const FLUSH_ROWS = 1000;
const HISTOGRAM_FLUSH_MS = 500;

async function stored(url: string, ids: string[]) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const rows = await client.query('SELECT id FROM predictions WHERE id = ANY($1::uuid[])', [ids]);
    const classCounts = await client.query(
      `SELECT coalesce(sum(total), 0)::int AS n FROM histogram_counts WHERE signal = 'class'`,
    );
    return {
      ids: new Set(rows.rows.map((r: { id: string }) => r.id)),
      histogramImages: classCounts.rows[0].n as number,
    };
  } finally {
    await client.end();
  }
}

describe('SIGKILL under inference load', () => {
  it('loses at most the predictions acknowledged in the last flush interval plus one batch', async () => {
    const database = await createTestDatabase();
    const dataDir = mkdtempSync(join(tmpdir(), 'vigil-sigkill-'));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: undefined,
      DATA_DIR: dataDir,
      PORT: String(port),
      PREDICTION_FLUSH_MS: String(FLUSH_MS),
      PREDICTION_FLUSH_ROWS: String(FLUSH_ROWS),
      HISTOGRAM_FLUSH_MS: String(HISTOGRAM_FLUSH_MS),
    };
    let service: ServiceProcess | undefined;
    let load: InferenceLoad | undefined;
    try {
      service = spawnService(env);
      await waitForStatus(`${url}/health/ready`, 200, 30_000, service);
      expect((await registerDigitsModel(url, 'cnn')).status).toBe(201);
      load = new InferenceLoad(url, digitImages('heldback'));
      load.start(8);
      await load.untilAcknowledged(400);

      const killedAt = performance.now();
      service.child.kill('SIGKILL');
      await exitCode(service);
      await load.stop();

      const acknowledged = load.acknowledged;
      const found = await stored(
        database.url,
        acknowledged.map((a) => a.predictionId),
      );
      const missing = acknowledged.filter((a) => !found.ids.has(a.predictionId)).length;
      // Acknowledged at or after killedAt - t (client clock; the server appended each one earlier).
      const within = (t: number) => load!.acknowledgedSince(killedAt - t);
      // Not yet taken by a write: the last FLUSH_MS. The batch being inserted: at most FLUSH_ROWS
      // rows from the FLUSH_MS before that (an insert takes less than FLUSH_MS here).
      const bound = within(FLUSH_MS) + Math.min(FLUSH_ROWS, within(2 * FLUSH_MS) - within(FLUSH_MS));
      expect(missing).toBeLessThanOrEqual(bound);
      // Histogram counts: what the last HISTOGRAM_FLUSH_MS (and the upsert in flight) added.
      const histogramMissing = Math.max(0, acknowledged.length - found.histogramImages);
      expect(histogramMissing).toBeLessThanOrEqual(within(2 * HISTOGRAM_FLUSH_MS));
      console.log(
        `SIGKILL: ${acknowledged.length} predictions acknowledged, ${missing} missing from Postgres ` +
          `(bound ${bound}: ${within(FLUSH_MS)} acknowledged in the last ${FLUSH_MS} ms + ` +
          `${within(2 * FLUSH_MS) - within(FLUSH_MS)} in the ${FLUSH_MS} ms before); histogram counts of ` +
          `${histogramMissing} images missing (bound ${within(2 * HISTOGRAM_FLUSH_MS)})`,
      );
    } finally {
      await load?.stop();
      await service?.stop('SIGKILL');
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
