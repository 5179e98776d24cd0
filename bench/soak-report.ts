import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PersistenceCheck } from './audit';
import type { LoadSummary } from './scenarios';

/** "Flat": RSS grows less than this over the fitted window, and lag p99 stays within this factor. */
export const FLAT = { rssSlopeMbPerMin: 1, lagRatio: 2 };

export interface SoakSample {
  /** Seconds since the fixed-rate load started. */
  t: number;
  rssMb: number;
  heapUsedMb: number;
  /** Event-loop delay p99 over the sample's 10 s (monitorEventLoopDelay, 10 ms resolution). */
  lagP99Ms: number;
  /** 200 answers in the sample's window, and per second. */
  ok: number;
  okPerS: number;
  errors: number;
  errorReasons: Record<string, number>;
  latencyP50Ms: number;
  latencyP99Ms: number;
}

export interface SoakSummary {
  targetRatePerS: number;
  achievedRatePerS: number;
  requests: number;
  errors: number;
  errorReasons: Record<string, number>;
  latencyP99MsMedian: number;
  latencyP99MsMax: number;
  /** Least-squares slope of RSS over the fitted window (the last 8 minutes of a 10-minute run). */
  rssSlopeMbPerMin: number;
  rssFitFromS: number;
  rssFirstMb: number;
  rssLastMb: number;
  /** Worst 10-s lag p99 in the first and in the last minute. */
  lagP99FirstMinuteMs: number;
  lagP99LastMinuteMs: number;
  flat: { rss: boolean; lag: boolean };
}

export interface SoakReport {
  startedAt: string;
  minutes: number;
  machine: { cpus: number; cpuModel?: string; node: string; loadavgAtStart: number[]; loadavgAtEnd: number[] };
  capacity: LoadSummary;
  samples: SoakSample[];
  summary: SoakSummary;
  predictions: PersistenceCheck & { droppedByService: number };
}

/** Least-squares slope of y over t (seconds), per minute. */
export function slopePerMinute(points: Array<[number, number]>): number {
  const n = points.length;
  if (n < 2) return NaN;
  const meanT = points.reduce((s, [t]) => s + t, 0) / n;
  const meanY = points.reduce((s, [, y]) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [t, y] of points) {
    num += (t - meanT) * (y - meanY);
    den += (t - meanT) ** 2;
  }
  return (num / den) * 60;
}

export function summarize(samples: SoakSample[], durationS: number, targetRatePerS: number): SoakSummary {
  // The first 2 minutes (or the first 20% of a shorter run) are warm-up for the slope.
  const fitFrom = Math.min(120, durationS * 0.2);
  const fitted = samples.filter((s) => s.t > fitFrom);
  const rssSlope = slopePerMinute(fitted.map((s) => [s.t, s.rssMb]));
  const worstLag = (from: number, to: number) =>
    Math.max(...samples.filter((s) => s.t > from && s.t <= to).map((s) => s.lagP99Ms));
  const lagFirst = worstLag(0, 60);
  const lagLast = worstLag(durationS - 60, durationS);
  const p99s = samples.map((s) => s.latencyP99Ms).filter(Number.isFinite);
  const requests = samples.reduce((sum, s) => sum + s.ok, 0);
  return {
    targetRatePerS,
    achievedRatePerS: requests / (samples.at(-1)?.t ?? 1),
    requests,
    errors: samples.reduce((sum, s) => sum + s.errors, 0),
    errorReasons: samples.reduce<Record<string, number>>((all, s) => {
      for (const [reason, n] of Object.entries(s.errorReasons)) all[reason] = (all[reason] ?? 0) + n;
      return all;
    }, {}),
    latencyP99MsMedian: median(p99s),
    latencyP99MsMax: Math.max(...p99s),
    rssSlopeMbPerMin: rssSlope,
    rssFitFromS: fitFrom,
    rssFirstMb: samples[0]?.rssMb ?? NaN,
    rssLastMb: samples.at(-1)?.rssMb ?? NaN,
    lagP99FirstMinuteMs: lagFirst,
    lagP99LastMinuteMs: lagLast,
    flat: { rss: rssSlope < FLAT.rssSlopeMbPerMin, lag: lagLast <= FLAT.lagRatio * lagFirst },
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : NaN;
}

export function writeSoakReport(report: SoakReport, path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}

export function printSoak(report: SoakReport): void {
  const f = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
  const s = report.summary;
  console.log('\n   t (s) | RSS MB | heap MB | lag p99 ms | ok/s  | errors | latency p50 / p99 ms');
  for (const x of report.samples) {
    console.log(
      `  ${String(Math.round(x.t)).padStart(6)} | ${f(x.rssMb).padStart(6)} | ${f(x.heapUsedMb).padStart(7)} | ` +
        `${f(x.lagP99Ms).padStart(10)} | ${f(x.okPerS).padStart(5)} | ${String(x.errors).padStart(6)} | ` +
        `${f(x.latencyP50Ms)} / ${f(x.latencyP99Ms)}`,
    );
  }
  console.log(
    `\ncapacity ${f(report.capacity.itemsPerS)} req/s; target ${f(s.targetRatePerS)}, achieved ${f(s.achievedRatePerS)} req/s`,
  );
  console.log(
    `requests ${s.requests}, errors ${s.errors}, latency p99 median ${f(s.latencyP99MsMedian)} ms, max ${f(s.latencyP99MsMax)} ms`,
  );
  console.log(
    `RSS ${f(s.rssFirstMb)} -> ${f(s.rssLastMb)} MB, slope after ${s.rssFitFromS} s: ${f(s.rssSlopeMbPerMin, 2)} MB/min ` +
      `(flat < ${FLAT.rssSlopeMbPerMin}): ${s.flat.rss ? 'FLAT' : 'NOT FLAT'}`,
  );
  console.log(
    `lag p99 first minute ${f(s.lagP99FirstMinuteMs)} ms, last minute ${f(s.lagP99LastMinuteMs)} ms ` +
      `(flat <= ${FLAT.lagRatio}x): ${s.flat.lag ? 'FLAT' : 'NOT FLAT'}`,
  );
  const p = report.predictions;
  console.log(
    `predictions acknowledged ${p.acknowledged}, missing from Postgres ${p.missing}, dropped ${p.droppedByService}`,
  );
}
