// `npm run bench`: Vigil against raw onnxruntime-node and a bare node:http server, with monitoring
// on and off, plus the prediction log and liveness under load, and the framework floor (the
// trivial route on node:http and NestJS). BENCH_QUICK=1 for a smoke run; BENCH_SCENARIOS=key,key
// for some scenarios only.
import { rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { abuseEnv, ABUSE_KEYS, healthDuringBodies, largestJsonBody, twoKeys } from './abuse';
import { PredictionAudit } from './audit';
import { createScratchDatabase } from './database';
import { FLOOR_CONNECTIONS, measureFloor } from './floor/floor';
import { BenchModel, digitsModel, mobilenetModel, registerModel } from './models';
import {
  digitsPng,
  digitsUint8,
  digitsUint8Binary,
  mobilenetFp32,
  mobilenetFp32Binary,
  mobilenetUint8Binary,
  Payload,
} from './payloads';
import { RawOnnxRunner } from './raw-onnx';
import { printReport } from './print-report';
import { BenchReport, healthDuring, median, scenarioReport, TARGETS, writeReport } from './report';
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
  const all = benchScenarios(digits, mobilenet, await digitsUint8(digits), await digitsUint8Binary(digits));
  const scenarios = all.filter((s) => !settings.only || settings.only.includes(s.key));
  if (scenarios.length === 0) throw new Error(`BENCH_SCENARIOS names none of ${all.map((s) => s.key).join(', ')}`);
  const compareLayouts = settings.threadReps > 0 && scenarios.some((s) => s.key === LAYOUT_SCENARIO);
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

    // First, while no service runs: the framework's own ceiling, for the digits rows.
    console.log(`framework floor: the trivial JSON route at c=${FLOOR_CONNECTIONS}`);
    const floor = await measureFloor(dist, settings, settings.floorReps);

    console.log(`database ${database.name}; ${compareLayouts ? 'comparing thread layouts' : 'one thread layout'}`);
    const candidates = [];
    const layouts = compareLayouts ? THREAD_CONFIGS : [PREFERRED_THREADS];
    for (const threads of layouts) candidates.push({ threads, server: await service(threads.label, threads, true) });
    await registerModel(candidates[0].server.url, digits);
    await registerModel(candidates[0].server.url, mobilenet);
    // The split matters on the compute-bound model only, and the layout is chosen there.
    const byThreads = scenarios.filter((s) => s.key === LAYOUT_SCENARIO);
    const threadComparison = await compareThreadConfigs(ctx, candidates, compareLayouts ? byThreads : []);
    const chosen = compareLayouts ? fastest(threadComparison, LAYOUT_SCENARIO) : PREFERRED_THREADS;
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
      floor,
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

/** The scenario the thread layouts are compared on: MobileNetV2's throughput target. */
const LAYOUT_SCENARIO = 'mobilenet-v2-binary-fp32';

/** Issue 13's scenarios: one item per request, digits at c=32 against the bare server, MobileNetV2 at c=8 against raw. */
function benchScenarios(digits: BenchModel, mobilenet: BenchModel, json: Payload, binary: Payload): Scenario[] {
  const versusBare = (atLeast: number) => ({ versus: 'bare' as const, atLeast });
  const versusRaw = { versus: 'raw' as const, atLeast: TARGETS.mobilenetServiceRaw };
  return [
    {
      key: 'digits-v2',
      title: 'digits CNN, v2 JSON UINT8 (c=32)',
      model: digits,
      payload: json,
      connections: 32,
      target: versusBare(TARGETS.digitsServiceBare),
    },
    {
      key: 'digits-v2-binary',
      title: 'digits CNN, v2 binary UINT8 (c=32)',
      model: digits,
      payload: binary,
      connections: 32,
      target: versusBare(TARGETS.digitsServiceBare),
    },
    {
      key: 'digits-image',
      title: 'digits CNN, PNG body (c=32)',
      model: digits,
      payload: digitsPng(digits),
      connections: 32,
      target: versusBare(TARGETS.digitsPngServiceBare),
    },
    {
      key: LAYOUT_SCENARIO,
      title: 'MobileNetV2, v2 binary FP32 (c=8)',
      model: mobilenet,
      payload: mobilenetFp32Binary(mobilenet),
      connections: 8,
      target: versusRaw,
    },
    {
      key: 'mobilenet-v2-binary-uint8',
      title: 'MobileNetV2, v2 binary UINT8 (c=8)',
      model: mobilenet,
      payload: mobilenetUint8Binary(mobilenet),
      connections: 8,
      target: versusRaw,
    },
    // No throughput target: JSON FP32 is bound by parsing ~1 MB of text per image (kept for comparison).
    {
      key: 'mobilenet-v2',
      title: 'MobileNetV2, v2 JSON FP32 (c=8)',
      model: mobilenet,
      payload: mobilenetFp32(mobilenet),
      connections: 8,
    },
  ];
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
