/**
 * `npm run bench:drift`: drift status latency with 10^5 vs 10^7 logged predictions (rows made
 * with SQL). Status reads stored drift reports only, so the ratio should stay near 1 (target <= 2).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createApiApp } from '../src/api-app';
import { AppConfig } from '../src/config/app-config';
import { loadConfig } from '../src/config/load-config';
import { benchDataDir } from './servers';
import { createScratchDatabase } from './database';
import { digitsDir, digitsModel, registerModel } from './models';

const REQUESTS = 300;

async function main(): Promise<void> {
  const database = await createScratchDatabase(
    process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  );
  const config = new AppConfig(
    // The fixtures' reference split has 599 images (the default minimum reference is 1,610).
    loadConfig({
      DATABASE_URL: database.url,
      DATA_DIR: benchDataDir(),
      LOG_LEVEL: 'warn',
      PORT: '3000',
      DRIFT_MIN_REFERENCE_SAMPLES: '599',
    }),
  );
  const app = await createApiApp(config);
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  try {
    await registerModel(url, digitsModel());
    await setReference(url);
    await post(`${url}/v1/models/digits/versions/cnn-v1/drift/check`);
    const dataSource = app.get(DataSource);
    const results: Array<{ rows: number; p50: number; p99: number }> = [];
    for (const rows of [100_000, 10_000_000]) {
      await fillPredictions(dataSource, rows);
      results.push({ rows, ...(await statusLatency(url)) });
    }
    for (const r of results)
      console.log(`${r.rows.toExponential(0)} rows: status p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms`);
    console.log(`ratio p50 1e7/1e5: ${(results[1].p50 / results[0].p50).toFixed(2)} (target <= 2)`);
  } finally {
    await app.close();
    await database.drop();
  }
}

async function setReference(url: string): Promise<void> {
  const form = new FormData();
  const dir = join(digitsDir, 'reference');
  for (const file of readdirSync(dir))
    form.append('images', new Blob([readFileSync(join(dir, file))], { type: 'image/png' }), file);
  const response = await fetch(`${url}/v1/models/digits/versions/cnn-v1/drift/reference`, {
    method: 'POST',
    body: form,
  });
  if (response.status !== 201) throw new Error(`reference: ${response.status} ${await response.text()}`);
}

/** Tops the predictions table up to `rows`, spread over the last 7 days of daily partitions. */
async function fillPredictions(dataSource: DataSource, rows: number): Promise<void> {
  const [{ n }] = await dataSource.query('SELECT count(*)::int AS n FROM predictions');
  const [{ id }] = await dataSource.query(`SELECT id FROM model_versions WHERE name = 'digits'`);
  const started = Date.now();
  for (let done = n; done < rows; done += 1_000_000) {
    const batch = Math.min(1_000_000, rows - done);
    await dataSource.query(
      `INSERT INTO predictions (id, created_at, model_version_id, role, predicted_class, confidence, latency_ms, input_hash)
       SELECT gen_random_uuid(), now() - (i % 86400) * interval '1 second', $1, 'champion', i % 10, 0.9, 1.0, 'bench'
         FROM generate_series(1, $2) AS i`,
      [id, batch],
    );
  }
  await dataSource.query('ANALYZE predictions');
  console.log(`predictions: ${rows} rows (filled in ${((Date.now() - started) / 1000).toFixed(0)} s)`);
}

async function statusLatency(url: string): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 20; i++) await fetch(`${url}/v1/drift/status`).then((r) => r.text());
  const samples: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const started = performance.now();
    const response = await fetch(`${url}/v1/drift/status`);
    await response.text();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(REQUESTS * 0.5)], p99: samples[Math.floor(REQUESTS * 0.99)] };
}

function post(url: string): Promise<Response> {
  return fetch(url, { method: 'POST' });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
