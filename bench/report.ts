import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BodiesScenario, TwoKeys } from './abuse';
import type { FloorResult } from './floor/floor';
import type { ProbeResult } from './health-probe';
import type { Repetition, Scenario, ThroughputTarget } from './scenarios';
import { ThreadComparison } from './threads';

/** Issue 13's targets. */
export const TARGETS = {
  /** MobileNetV2, binary input, one image per request, c=8: service / raw onnxruntime at the service's batch size. */
  mobilenetServiceRaw: 0.9,
  /** digits CNN, v2 JSON and binary UINT8, c=32: service / bare server. */
  digitsServiceBare: 0.7,
  /** digits CNN, PNG body, c=32: service / bare server. */
  digitsPngServiceBare: 0.8,
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
  target?: ThroughputTarget;
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
  /** The trivial JSON route on node:http and NestJS (Express, Fastify): the framework's ceiling. */
  floor: FloorResult[];
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
    ...(scenario.target && { target: scenario.target }),
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

export function writeReport(report: BenchReport, path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}
