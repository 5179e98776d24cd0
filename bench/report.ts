import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BodiesScenario, TwoKeys } from './abuse';
import type { ProbeResult } from './health-probe';
import { Repetition, Scenario } from './scenarios';
import { ThreadComparison } from './threads';

export const TARGETS = {
  mobilenetServiceRaw: 0.95,
  digitsServiceBare: 0.7,
  monitoringOnOff: 0.95,
  healthP99Ms: 50,
  otherKeyP99Ratio: 10,
};

/** /health/live during one scenario: p99 as the median over repetitions and the worst of them. */
export interface HealthDuring {
  scenario: string;
  p50Ms: number;
  p99Ms: number;
  worstP99Ms: number;
  samples: number;
  failures: number;
}

export interface ScenarioReport {
  key: string;
  title: string;
  connections: number;
  medians: {
    service: number;
    monitoringOff: number;
    bare: number;
    raw: number;
    rawBatch: number;
    serviceBatch: number;
  };
  /** Medians of the per-repetition ratios (each ratio pairs runs measured minutes apart at most). */
  ratios: { serviceRaw: number; serviceBare: number; onOff: number };
  persistence: { persistedPerS: number; maxLagMs: number; missing: number };
  reps: Repetition[];
}

export interface BenchReport {
  startedAt: string;
  wallSeconds: number;
  quick: boolean;
  machine: Record<string, unknown>;
  chosenThreads: string;
  threadComparison: ThreadComparison[];
  scenarios: ScenarioReport[];
  health: HealthDuring[];
  abuse: { unauthenticated: BodiesScenario; authenticated: BodiesScenario; twoKeys: TwoKeys };
  predictions: { acknowledged: number; missing: number; rowsInTable: number };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The health probes of a scenario's monitoring-on runs. */
export function healthDuring(scenario: string, probes: ProbeResult[]): HealthDuring {
  return {
    scenario,
    p50Ms: median(probes.map((p) => p.p50Ms)),
    p99Ms: median(probes.map((p) => p.p99Ms)),
    worstP99Ms: Math.max(...probes.map((p) => p.p99Ms)),
    samples: probes.reduce((n, p) => n + p.samples, 0),
    failures: probes.reduce((n, p) => n + p.failures, 0),
  };
}

export function scenarioReport(scenario: Scenario, reps: Repetition[]): ScenarioReport {
  const m = (f: (r: Repetition) => number) => median(reps.map(f));
  return {
    key: scenario.key,
    title: scenario.title,
    connections: scenario.connections,
    medians: {
      service: m((r) => r.on.load.itemsPerS),
      monitoringOff: m((r) => r.off.itemsPerS),
      bare: m((r) => r.bare.itemsPerS),
      raw: m((r) => r.raw.itemsPerS),
      rawBatch: m((r) => r.raw.batch),
      serviceBatch: m((r) => r.on.meanBatch),
    },
    ratios: {
      serviceRaw: m((r) => r.on.load.itemsPerS / r.raw.itemsPerS),
      serviceBare: m((r) => r.on.load.itemsPerS / r.bare.itemsPerS),
      onOff: m((r) => r.on.load.itemsPerS / r.off.itemsPerS),
    },
    persistence: {
      persistedPerS: m((r) => r.on.persistedPerS),
      maxLagMs: Math.max(...reps.map((r) => r.on.persistence.lagMs)),
      missing: reps.reduce((n, r) => n + r.on.persistence.missing, 0),
    },
    reps,
  };
}

const pad = (s: string, n: number) => s.padStart(n);
const num = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
const ratio = (n: number) => `${n.toFixed(2)}x`;

export function printReport(report: BenchReport): void {
  console.log(`\nVigil benchmark (${report.quick ? 'quick' : 'full'}), ${report.chosenThreads}, medians, items/s`);
  console.log(
    `${'scenario'.padEnd(34)}${pad('service', 9)}${pad('mon.off', 9)}${pad('bare', 9)}${pad('raw', 10)}${pad('batch', 7)}` +
      `${pad('svc/raw', 9)}${pad('svc/bare', 10)}${pad('on/off', 8)}${pad('logged/s', 10)}${pad('missing', 9)}`,
  );
  for (const s of report.scenarios) {
    console.log(
      `${s.title.padEnd(34)}${pad(num(s.medians.service), 9)}${pad(num(s.medians.monitoringOff), 9)}` +
        `${pad(num(s.medians.bare), 9)}${pad(num(s.medians.raw), 10)}${pad(s.medians.rawBatch.toFixed(0), 7)}` +
        `${pad(ratio(s.ratios.serviceRaw), 9)}${pad(ratio(s.ratios.serviceBare), 10)}${pad(ratio(s.ratios.onOff), 8)}` +
        `${pad(num(s.persistence.persistedPerS), 10)}${pad(String(s.persistence.missing), 9)}`,
    );
  }
  const compared = report.threadComparison.filter((t) => Object.values(t.itemsPerS).some((v) => v.length > 0));
  if (compared.length > 0) console.log('\nthread layouts (monitoring on), median items/s:');
  for (const t of compared) {
    const cells = Object.entries(t.itemsPerS)
      .filter(([, v]) => v.length > 0)
      .map(([k, v]) => `${k} ${num(median(v))}`);
    console.log(`  ${t.threads.label.padEnd(22)} ${cells.join(' | ')}`);
  }
  console.log('\n/health/live during each scenario (probe p99: median of repetitions, worst):');
  for (const h of report.health) {
    console.log(
      `  ${h.scenario.padEnd(22)} p50 ${h.p50Ms.toFixed(1)} ms, p99 ${h.p99Ms.toFixed(1)} ms (worst ${h.worstP99Ms.toFixed(1)} ms), ` +
        `${h.samples} probes, ${h.failures} failed`,
    );
  }
  const { unauthenticated, authenticated, twoKeys } = report.abuse;
  for (const b of [unauthenticated, authenticated]) {
    console.log(
      `  ${b.scenario}: ${b.result.requests} bodies of ${(b.bodyBytes / 1e6).toFixed(1)} MB, answers ${JSON.stringify(b.result.statuses)}`,
    );
  }
  console.log(
    `\ntwo keys: b's predict p99 ${twoKeys.unloadedP99Ms.toFixed(1)} ms alone, ${twoKeys.loadedP99Ms.toFixed(1)} ms while a sends ` +
      `${twoKeys.batch.images} images / ${twoKeys.batch.pixels} pixels per request (${twoKeys.aRequests} done, ${twoKeys.aNon2xx} non-2xx): ${ratio(twoKeys.ratio)}`,
  );
  const p = report.predictions;
  console.log(`\npredictions: ${p.acknowledged} acknowledged, missing: ${p.missing}, rows in table: ${p.rowsInTable}`);
  console.log('\ntargets:');
  for (const line of targetLines(report)) console.log(`  ${line}`);
  console.log(`\nwall time ${report.wallSeconds.toFixed(0)} s`);
}

export function targetLines(report: BenchReport): string[] {
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  const lines: string[] = [];
  for (const s of report.scenarios) {
    if (s.key.startsWith('mobilenet')) {
      const v = s.ratios.serviceRaw;
      lines.push(
        `${verdict(v >= TARGETS.mobilenetServiceRaw)} ${s.key} service/raw ${ratio(v)} (>= ${TARGETS.mobilenetServiceRaw}x)`,
      );
    } else {
      const v = s.ratios.serviceBare;
      lines.push(
        `${verdict(v >= TARGETS.digitsServiceBare)} ${s.key} service/bare ${ratio(v)} (>= ${TARGETS.digitsServiceBare}x)`,
      );
    }
    const v = s.ratios.onOff;
    lines.push(
      `${verdict(v >= TARGETS.monitoringOnOff)} ${s.key} monitoring on/off ${ratio(v)} (>= ${TARGETS.monitoringOnOff}x)`,
    );
  }
  for (const h of report.health) {
    lines.push(
      `${verdict(h.p99Ms < TARGETS.healthP99Ms)} /health/live p99 during ${h.scenario} ${h.p99Ms.toFixed(1)} ms (< ${TARGETS.healthP99Ms} ms)`,
    );
  }
  const { twoKeys } = report.abuse;
  lines.push(
    `${verdict(twoKeys.ratio < TARGETS.otherKeyP99Ratio)} two keys: b's predict p99 loaded/alone ${ratio(twoKeys.ratio)} (< ${TARGETS.otherKeyP99Ratio}x)`,
  );
  lines.push(
    `${verdict(report.predictions.missing === 0)} acknowledged predictions missing from the table: ${report.predictions.missing}`,
  );
  return lines;
}

export function writeReport(report: BenchReport, path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}
