import { Client } from 'pg';
import { PredictionLogWriter } from '../../src/recording/prediction-log.writer';
import { digitImages, registerDigitsModel } from '../support/digits';
import { eventually } from '../support/eventually';
import { InferenceLoad } from '../support/inference-load';
import { PrivatePostgres } from '../support/private-postgres';
import { startTestApp, TestApp } from '../support/test-app';

const OUTAGE_MS = 3000;

async function readiness(url: string): Promise<{ status: number; body: { error?: Record<string, unknown> } }> {
  const response = await fetch(`${url}/health/ready`);
  return { status: response.status, body: (await response.json()) as { error?: Record<string, unknown> } };
}

async function storedCount(url: string, ids: string[]): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT count(*)::int AS n FROM predictions WHERE id = ANY($1::uuid[])', [ids]);
    return rows[0].n as number;
  } finally {
    await client.end();
  }
}

describe('Postgres restarted under inference load', () => {
  let postgres: PrivatePostgres | undefined;
  let t: TestApp | undefined;
  let load: InferenceLoad | undefined;

  beforeAll(async () => {
    postgres = await PrivatePostgres.start();
    // Routing re-reads the champion every ROUTING_CACHE_MS (default 1 s): the outage outlasts it,
    // so failed re-reads must fall back on the last known champion.
    const env = { SHUTDOWN_TIMEOUT_MS: '5000' };
    t = await startTestApp({ database: { url: postgres.url }, env });
  });
  afterAll(async () => {
    await load?.stop();
    await postgres?.resume(); // after a failure mid-outage: let the app close normally
    await t?.close();
    await postgres?.destroy();
  });

  it('keeps answering, recovers by itself, and every acknowledged prediction reaches Postgres', async () => {
    const { url } = t!;
    expect((await registerDigitsModel(url, 'cnn')).status).toBe(201);
    load = new InferenceLoad(url, digitImages('heldback'));
    load.start(4);
    await load.untilAcknowledged(50);

    await postgres!.stop();
    const down = performance.now();
    const before = load.acknowledged.length;
    const notReady = await readiness(url);
    expect(notReady.status).toBe(503);
    expect(Object.keys(notReady.body.error ?? {})).toEqual(['postgres']);
    // The outage lasts OUTAGE_MS; inference must go on answering through it.
    await Promise.all([load.untilAcknowledged(100), new Promise((resolve) => setTimeout(resolve, OUTAGE_MS))]);
    const duringOutage = load.acknowledged.length - before;
    const buffered = t!.app.get(PredictionLogWriter).stats().buffered;
    expect(buffered).toBeGreaterThan(0);

    await postgres!.resume();
    const up = performance.now();
    await eventually(
      () => readiness(url),
      (r) => r.status === 200,
      20_000,
    );
    const readyAfterMs = performance.now() - up;
    await load.untilAcknowledged(50);
    await load.stop();

    const failures = Object.fromEntries([...load.outcomes].filter(([status]) => status !== 200));
    expect(failures).toEqual({});
    const ids = load.acknowledged.map((a) => a.predictionId);
    await eventually(
      () => storedCount(postgres!.url, ids),
      (n) => n === ids.length,
      20_000,
    );
    console.log(
      `Postgres restart: down ${Math.round(up - down)} ms, ${duringOutage} predictions answered meanwhile ` +
        `(${buffered} rows buffered at the end of the outage), 0 failed requests; ready again ` +
        `${Math.round(readyAfterMs)} ms after Postgres was back; ${ids.length}/${ids.length} acknowledged predictions stored`,
    );
  });
});
