// `npm run bench:soak`: capacity of the digits PNG endpoint, then 80% of it at a fixed rate for
// SOAK_MINUTES (default 10), sampling the service every 10 s. Not part of CI.
import { rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PredictionAudit } from './audit';
import { createScratchDatabase } from './database';
import { runLoad } from './load';
import { digitsModel, registerModel } from './models';
import { digitsPng, Payload } from './payloads';
import { summary } from './scenarios';
import { benchDataDir, startService } from './servers';
import { snapshotDist } from './snapshot';
import { PacedLoad } from './soak-load';
import { printSoak, SoakReport, SoakSample, summarize, writeSoakReport } from './soak-report';
import { benchSettings, PREFERRED_THREADS, repoRoot } from './settings';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const SAMPLE_S = 10;
const LOAD_FRACTION = 0.8;
const CAPACITY = { warmupS: 10, measureS: 20, connections: 32 };

async function main(): Promise<void> {
  const started = new Date();
  const loadavgAtStart = loadavg();
  const digits = digitsModel();
  const payload = digitsPng(digits);
  const snapshot = await snapshotDist();
  const database = await createScratchDatabase(benchSettings().serverDatabaseUrl, 'vigil_soak');
  const dataDir = benchDataDir();
  const audit = await PredictionAudit.connect(database.url);
  const service = await startService({
    label: 'soak',
    databaseUrl: database.url,
    dataDir,
    threads: PREFERRED_THREADS,
    monitoring: true,
    dist: snapshot.dist,
  });
  try {
    await registerModel(service.url, digits);
    console.log(`database ${database.name}; capacity: ${CAPACITY.measureS} s at c=${CAPACITY.connections}`);
    const target = { ...payload, url: service.url, connections: CAPACITY.connections };
    await runLoad(target, CAPACITY.warmupS);
    const capacity = await runLoad(target, CAPACITY.measureS);
    await oneRequest(service.url, payload); // queued behind what autocannon left: the service is idle after it
    const rate = Math.round(capacity.itemsPerS * LOAD_FRACTION);
    console.log(`capacity ${capacity.itemsPerS.toFixed(1)} req/s; soaking at ${rate} req/s for ${MINUTES} min`);

    const samples = await soak(service.url, payload, rate, MINUTES * 60);
    const persistence = await audit.waitPersisted([...capacity.predictionIds, ...samples.ids], Date.now(), 60_000);
    const metrics = await scrape(service.url);
    const report: SoakReport = {
      startedAt: started.toISOString(),
      minutes: MINUTES,
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model,
        node: process.version,
        loadavgAtStart,
        loadavgAtEnd: loadavg(),
      },
      capacity: summary(capacity),
      samples: samples.samples,
      summary: summarize(samples.samples, MINUTES * 60, rate),
      predictions: { ...persistence, droppedByService: metrics.get('vigil_predictions_dropped_total') ?? 0 },
    };
    const path = join(repoRoot, 'bench', 'results', 'soak-latest.json');
    writeSoakReport(report, path);
    printSoak(report);
    console.log(`results written to ${path}`);
  } finally {
    await service.stop();
    await audit.close();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
    snapshot.remove();
  }
}

/** The fixed-rate load, with the service's RSS and event-loop lag read every SAMPLE_S seconds. */
async function soak(url: string, payload: Payload, rate: number, durationS: number) {
  const load = new PacedLoad(url, payload, rate);
  await scrape(url); // resets the lag histogram, so the first sample covers only the soak
  const samples: SoakSample[] = [];
  const startedAt = Date.now();
  load.start();
  for (let n = 1; n * SAMPLE_S <= durationS; n++) {
    await sleep(startedAt + n * SAMPLE_S * 1000 - Date.now()); // a sampling clock, not a wait for an event
    const window = load.takeWindow();
    const metrics = await scrape(url);
    const t = (Date.now() - startedAt) / 1000;
    const sample: SoakSample = {
      t,
      rssMb: (metrics.get('vigil_process_resident_memory_bytes') ?? NaN) / 2 ** 20,
      heapUsedMb: (metrics.get('vigil_nodejs_heap_size_used_bytes') ?? NaN) / 2 ** 20,
      lagP99Ms: (metrics.get('vigil_nodejs_eventloop_lag_p99_seconds') ?? NaN) * 1000,
      ok: window.ok,
      okPerS: window.ok / SAMPLE_S,
      errors: window.errors,
      errorReasons: window.errorReasons,
      latencyP50Ms: window.latencyP50Ms,
      latencyP99Ms: window.latencyP99Ms,
    };
    samples.push(sample);
    console.log(
      `  ${Math.round(t)} s: rss ${sample.rssMb.toFixed(1)} MB, lag p99 ${sample.lagP99Ms.toFixed(1)} ms, ` +
        `${sample.okPerS.toFixed(1)} ok/s, ${sample.errors} errors, p99 ${sample.latencyP99Ms.toFixed(1)} ms`,
    );
  }
  await load.stop();
  return { samples, ids: load.predictionIds };
}

/** Unlabelled Prometheus samples by name (the process-wide gauges this bench reads). */
async function scrape(url: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*) (\S+)$/.exec(line);
    if (match) values.set(match[1], Number(match[2]));
  }
  return values;
}

async function oneRequest(url: string, payload: Payload): Promise<void> {
  const response = await fetch(`${url}${payload.path}`, {
    method: 'POST',
    headers: { 'content-type': payload.contentType },
    body: payload.bodies[0],
    signal: AbortSignal.timeout(120_000),
  });
  await response.arrayBuffer();
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(`soak failed: ${err.stack ?? err.message}`);
    process.exit(1);
  },
);
