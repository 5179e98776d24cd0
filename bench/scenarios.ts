import { batchStats, meanBatch, PersistenceCheck, PredictionAudit } from './audit';
import { probeLatency, ProbeResult } from './health-probe';
import { LoadResult, predictionIds, runLoad } from './load';
import { BenchModel } from './models';
import { Payload } from './payloads';
import { RawOnnxRunner } from './raw-onnx';
import { ServerProcess } from './servers';
import { BenchSettings } from './settings';

export type LoadSummary = Omit<LoadResult, 'predictionIds'>;

/** Issue 13's throughput target for a scenario: service items/s over the bare server's or raw onnxruntime's. */
export interface ThroughputTarget {
  versus: 'bare' | 'raw';
  atLeast: number;
}

export interface Scenario {
  key: string;
  title: string;
  model: BenchModel;
  payload: Payload;
  connections: number;
  /** Absent: the row is measured for comparison only (monitoring and liveness targets still apply). */
  target?: ThroughputTarget;
}

export interface ServiceRun {
  load: LoadSummary;
  /** /health/live probed from another process during the measured window. */
  health: ProbeResult;
  meanBatch: number;
  persistence: PersistenceCheck;
  persistedPerS: number;
}

/** One repetition: every target under the same load, back to back. */
export interface Repetition {
  on: ServiceRun;
  off: LoadSummary;
  bare: LoadSummary;
  raw: { batch: number; itemsPerS: number };
}

export interface Targets {
  on: ServerProcess;
  off: ServerProcess;
  bare: ServerProcess;
}

/** What every measurement needs; `audit` also totals the ids acknowledged by monitoring-on services. */
export class BenchContext {
  acknowledged = 0;
  missing = 0;

  constructor(
    readonly settings: BenchSettings,
    readonly audit: PredictionAudit,
    /** dist/ or its snapshot, where the probe's entry file is. */
    readonly dist: string,
  ) {}

  /** Warm-up, then the measured run; only the measured run counts. */
  async measure(server: ServerProcess, scenario: Scenario): Promise<{ load: LoadResult; warmIds: string[] }> {
    const { load, warmIds } = await this.measureProbed(server, scenario, false);
    return { load, warmIds };
  }

  /** As measure(), with /health/live probed during the measured window when `probe` is set. */
  private async measureProbed(server: ServerProcess, scenario: Scenario, probe: boolean) {
    const target = { ...scenario.payload, url: server.url, connections: scenario.connections };
    const warm = await runLoad(target, this.settings.warmupS);
    const warmIds = [...warm.predictionIds, ...(await drain(server, scenario))];
    const probing = probe ? this.probeHealth(server, this.settings.measureS) : undefined;
    const load = await runLoad(target, this.settings.measureS);
    const health = await probing;
    const drainIds = await drain(server, scenario);
    return { load, warmIds: [...warmIds, ...drainIds], health };
  }

  /** /health/live at healthRatePerS for durationS, from a separate process. */
  probeHealth(server: ServerProcess, durationS: number): Promise<ProbeResult> {
    return probeLatency(this.dist, `${server.url}/health/live`, this.settings.healthRatePerS, durationS);
  }

  /** A monitoring-on service run: also the batch sizes it formed and whether every prediction was logged. */
  async measureService(server: ServerProcess, scenario: Scenario): Promise<ServiceRun> {
    const before = await batchStats(server.url, scenario.model.name);
    const { load, warmIds, health } = await this.measureProbed(server, scenario, true);
    const after = await batchStats(server.url, scenario.model.name);
    const persistence = await this.checkPersisted([...warmIds, ...load.predictionIds], Date.now());
    const persisted = await this.audit.countPresent(load.predictionIds);
    return {
      load: summary(load),
      health: health!,
      meanBatch: meanBatch(before, after),
      persistence,
      persistedPerS: persisted / load.seconds,
    };
  }

  async checkPersisted(ids: string[], loadEndedAt: number): Promise<PersistenceCheck> {
    const check = await this.audit.waitPersisted(ids, loadEndedAt);
    this.acknowledged += check.acknowledged;
    this.missing += check.missing;
    return check;
  }
}

/**
 * A freshly started process is measurably slower for tens of seconds (JIT, connection pools), far
 * longer than the per-run warm-up: every target serves every scenario once before any measurement.
 */
export async function prewarm(ctx: BenchContext, scenarios: Scenario[], targets: Targets): Promise<void> {
  for (const scenario of scenarios) {
    for (const server of [targets.on, targets.off, targets.bare]) {
      const load = await runLoad(
        { ...scenario.payload, url: server.url, connections: scenario.connections },
        ctx.settings.prewarmS,
      );
      const ids = [...load.predictionIds, ...(await drain(server, scenario))];
      if (server === targets.on) await ctx.checkPersisted(ids, Date.now());
    }
  }
}

/** Rotates the order of the HTTP targets each repetition, so drift in machine load hits all alike. */
export async function runScenario(
  ctx: BenchContext,
  scenario: Scenario,
  targets: Targets,
  raw: RawOnnxRunner,
): Promise<Repetition[]> {
  const reps: Repetition[] = [];
  const kinds = ['on', 'off', 'bare'] as const;
  for (let r = 0; r < ctx.settings.reps; r++) {
    const rep: Partial<Repetition> = {};
    for (let i = 0; i < kinds.length; i++) {
      const kind = kinds[(i + r) % kinds.length];
      if (kind === 'on') rep.on = await ctx.measureService(targets.on, scenario);
      else rep[kind] = summary((await ctx.measure(targets[kind], scenario)).load);
    }
    // Raw onnxruntime gets the batch size the service actually formed under this load.
    const batch = Math.max(1, Math.round(rep.on!.meanBatch));
    rep.raw = { batch, itemsPerS: await raw.measure(batch, ctx.settings.rawS) };
    reps.push(rep as Repetition);
    log(scenario, r, rep as Repetition);
  }
  return reps;
}

/**
 * autocannon drops its connections at the deadline but the server still works through what it had
 * accepted. One more request of the same kind queues behind that work (the batcher and the bare
 * server are both first in, first out), so once it is answered the server is idle again and the
 * next measurement, of this or another server, starts clean. Returns its prediction ids.
 */
async function drain(server: ServerProcess, scenario: Scenario): Promise<string[]> {
  const { path, contentType, bodies, headers } = scenario.payload;
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': contentType },
    body: bodies[0],
    signal: AbortSignal.timeout(120_000),
  });
  const text = await response.text();
  return response.status === 200 ? predictionIds(text) : [];
}

export function summary(load: LoadResult): LoadSummary {
  const { predictionIds: _ids, ...rest } = load;
  return rest;
}

function log(scenario: Scenario, r: number, rep: Repetition): void {
  const f = (n: number) => n.toFixed(1);
  console.log(
    `  ${scenario.key} rep ${r + 1}: service ${f(rep.on.load.itemsPerS)} | monitoring off ${f(rep.off.itemsPerS)} | ` +
      `bare ${f(rep.bare.itemsPerS)} | raw ${f(rep.raw.itemsPerS)} (batch ${rep.raw.batch}) items/s`,
  );
}
