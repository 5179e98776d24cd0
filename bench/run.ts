// `npm run bench`: Vigil against raw onnxruntime-node and a bare node:http server, with monitoring
// on and off, plus the prediction log and liveness under load. BENCH_QUICK=1 for a smoke run.
import { rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { abuseEnv, ABUSE_KEYS, healthDuringBodies, largestJsonBody, twoKeys } from './abuse';
import { PredictionAudit } from './audit';
import { createScratchDatabase } from './database';
import { BenchModel, digitsModel, mobilenetModel, registerModel } from './models';
import { digitsPng, digitsUint8, mobilenetFp32 } from './payloads';
import { RawOnnxRunner } from './raw-onnx';
import { BenchReport, healthDuring, median, printReport, scenarioReport, writeReport } from './report';
import { BenchContext, prewarm, runScenario, Scenario } from './scenarios';
import { benchDataDir, ServerProcess, startBareServer, startService } from './servers';
import { snapshotDist } from './snapshot';
import { benchSettings, PREFERRED_THREADS, repoRoot, THREAD_CONFIGS, ThreadConfig } from './settings';
import { compareThreadConfigs, ThreadComparison } from './threads';

async function main(): Promise<void> {
  const started = Date.now();
  const settings = benchSettings();
  const digits = digitsModel();
  const mobilenet = mobilenetModel();
  const scenarios: Scenario[] = [
    {
      key: 'digits-v2',
      title: 'digits CNN, v2 UINT8, 1/req (c=32)',
      model: digits,
      payload: await digitsUint8(digits),
      connections: 32,
    },
    {
      key: 'digits-image',
      title: 'digits CNN, PNG body, 1/req (c=32)',
      model: digits,
      payload: digitsPng(digits),
      connections: 32,
    },
    {
      key: 'mobilenet-v2',
      title: 'MobileNetV2, v2 FP32, 1/req (c=8)',
      model: mobilenet,
      payload: mobilenetFp32(mobilenet),
      connections: 8,
    },
  ];
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version, loadavgAtStart: loadavg() };
  const snapshot = await snapshotDist();
  const { dist } = snapshot;
  const database = await createScratchDatabase(settings.serverDatabaseUrl);
  const dataDir = benchDataDir();
  const servers: ServerProcess[] = [];
  const runners: RawOnnxRunner[] = [];
  let audit: PredictionAudit | undefined;
  const start = async (server: Promise<ServerProcess>) => {
    const s = await server;
    servers.push(s);
    return s;
  };
  try {
    audit = await PredictionAudit.connect(database.url);
    const ctx = new BenchContext(settings, audit, dist);
    const service = (label: string, threads: ThreadConfig, monitoring: boolean, env?: Record<string, string>) =>
      start(startService({ label, databaseUrl: database.url, dataDir, threads, monitoring, dist, env }));

    console.log(`database ${database.name}; ${settings.threadReps > 0 ? 'comparing thread layouts' : 'quick run'}`);
    const candidates = [];
    const layouts = settings.threadReps > 0 ? THREAD_CONFIGS : [PREFERRED_THREADS];
    for (const threads of layouts) candidates.push({ threads, server: await service(threads.label, threads, true) });
    await registerModel(candidates[0].server.url, digits);
    await registerModel(candidates[0].server.url, mobilenet);
    const byThreads = scenarios.filter((s) => s.key !== 'digits-image');
    const threadComparison = await compareThreadConfigs(ctx, candidates, byThreads);
    const chosen = settings.threadReps > 0 ? fastest(threadComparison, 'mobilenet-v2') : PREFERRED_THREADS;
    const on = candidates.find((c) => c.threads === chosen)!.server;
    for (const c of candidates) if (c.server !== on) await stop(servers, c.server);

    console.log(`using ${chosen.label}; service (monitoring on/off), bare server and raw onnxruntime`);
    const off = await service('monitoring off', chosen, false);
    const bare = await start(startBareServer(dist, [digits, mobilenet], chosen.workers * chosen.intraOpThreads));
    const raw = new Map<BenchModel, RawOnnxRunner>();
    for (const model of [digits, mobilenet]) {
      const runner = await RawOnnxRunner.start(dist, model, chosen);
      runners.push(runner);
      raw.set(model, runner);
    }
    await prewarm(ctx, scenarios, { on, off, bare });
    const reports = [];
    const health = [];
    for (const scenario of scenarios) {
      const reps = await runScenario(ctx, scenario, { on, off, bare }, raw.get(scenario.model)!);
      reports.push(scenarioReport(scenario, reps));
      health.push(
        healthDuring(
          scenario.key,
          reps.map((r) => r.on.health),
        ),
      );
    }

    console.log('abuse scenarios, on a service with API keys');
    const keyed = await service('keys', chosen, true, abuseEnv());
    // The machine's own floor: the same probe against an idle service.
    health.push(healthDuring('idle (no load)', [await ctx.probeHealth(keyed, settings.measureS)]));
    const big = largestJsonBody(mobilenet);
    const bodies = (name: string, headers: Record<string, string>) =>
      healthDuringBodies(ctx, keyed, name, mobilenet, big.body, headers);
    const unauthenticated = await bodies('8x 20 MB JSON, no key', {});
    const authenticated = await bodies(`8x 20 MB JSON (batch ${big.batch}), key`, {
      authorization: `Bearer ${ABUSE_KEYS.a}`,
    });
    const keys = await twoKeys(ctx, keyed, digits);
    for (const b of [unauthenticated, authenticated, keys]) health.push(healthDuring(b.scenario, [b.probe]));

    const report: BenchReport = {
      startedAt: new Date(started).toISOString(),
      wallSeconds: (Date.now() - started) / 1000,
      quick: settings.quick,
      machine: { ...machine, loadavgAtEnd: loadavg() },
      chosenThreads: chosen.label,
      threadComparison,
      scenarios: reports,
      health,
      abuse: { unauthenticated, authenticated, twoKeys: keys },
      predictions: { acknowledged: ctx.acknowledged, missing: ctx.missing, rowsInTable: await audit.totalRows() },
    };
    const path = join(repoRoot, 'bench', 'results', settings.quick ? 'latest-quick.json' : 'latest.json');
    writeReport(report, path);
    printReport(report);
    console.log(`results written to ${path}`);
  } finally {
    await Promise.allSettled(runners.map((r) => r.close()));
    await Promise.allSettled(servers.map((s) => s.stop()));
    await audit?.close();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
    snapshot.remove();
  }
}

/** The layout with the best median on the compute-bound model, where the split matters. */
function fastest(comparison: ThreadComparison[], key: string): ThreadConfig {
  let best = comparison[0];
  for (const c of comparison) if (median(c.itemsPerS[key]) > median(best.itemsPerS[key])) best = c;
  return best.threads;
}

async function stop(servers: ServerProcess[], server: ServerProcess): Promise<void> {
  await server.stop();
  servers.splice(servers.indexOf(server), 1);
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(`bench failed: ${err.stack ?? err.message}`);
    process.exit(1);
  },
);
