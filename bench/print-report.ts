import { FLOOR_CONNECTIONS } from './floor/floor';
import { BenchReport, HealthDuring, median, ScenarioReport, TARGETS } from './report';

const pad = (s: string, n: number) => s.padStart(n);
const num = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
const ratio = (n: number) => `${n.toFixed(2)}x`;
const ms = (n: number) => `${n.toFixed(1)} ms`;
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

export function printReport(report: BenchReport): void {
  console.log(
    `\nVigil benchmark (${report.quick ? 'quick' : 'full'}), ${report.chosenThreads}, one item per request, medians, items/s`,
  );
  printScenarios(report);
  printThreadLayouts(report);
  printHealth(report);
  const p = report.predictions;
  console.log(`\npredictions: ${p.acknowledged} acknowledged, missing: ${p.missing}, rows in table: ${p.rowsInTable}`);
  console.log(`\nframework floor: the trivial route (POST a small JSON, answer a small JSON), c=${FLOOR_CONNECTIONS}`);
  printTable(floorTable(report));
  const targets = targetTables(report);
  console.log('\nissue 13 targets, per scenario:');
  printTable(targets.scenarios);
  console.log('\nissue 13 targets, other:');
  printTable(targets.other);
  console.log(`\n${targets.passed} of ${targets.total} targets PASS`);
  console.log(`\nwall time ${report.wallSeconds.toFixed(0)} s`);
}

function printScenarios(report: BenchReport): void {
  const width = Math.max(34, ...report.scenarios.map((s) => s.title.length + 2));
  console.log(
    `${'scenario'.padEnd(width)}${pad('service', 9)}${pad('mon.off', 9)}${pad('bare', 9)}${pad('raw', 10)}${pad('batch', 7)}` +
      `${pad('svc/raw', 9)}${pad('svc/bare', 10)}${pad('on/off', 8)}${pad('logged/s', 10)}${pad('missing', 9)}`,
  );
  for (const s of report.scenarios) {
    console.log(
      `${s.title.padEnd(width)}${pad(num(s.medians.service), 9)}${pad(num(s.medians.monitoringOff), 9)}` +
        `${pad(num(s.medians.bare), 9)}${pad(num(s.medians.raw), 10)}${pad(s.medians.rawBatch.toFixed(0), 7)}` +
        `${pad(ratio(s.ratios.serviceRaw), 9)}${pad(ratio(s.ratios.serviceBare), 10)}${pad(ratio(s.ratios.onOff), 8)}` +
        `${pad(num(s.persistence.persistedPerS), 10)}${pad(String(s.persistence.missing), 9)}`,
    );
  }
}

function printThreadLayouts(report: BenchReport): void {
  const compared = report.threadComparison.filter((t) => Object.values(t.itemsPerS).some((v) => v.length > 0));
  if (compared.length > 0) console.log('\nthread layouts (monitoring on), median items/s:');
  for (const t of compared) {
    const cells = Object.entries(t.itemsPerS)
      .filter(([, v]) => v.length > 0)
      .map(([k, v]) => `${k} ${num(median(v))}`);
    console.log(`  ${t.threads.label.padEnd(22)} ${cells.join(' | ')}`);
  }
}

function printHealth(report: BenchReport): void {
  console.log('\n/health/live during each scenario (probe p99: median of repetitions, worst):');
  for (const h of report.health) {
    console.log(
      `  ${h.scenario.padEnd(26)} p50 ${h.p50Ms.toFixed(1)} ms, p99 ${h.p99Ms.toFixed(1)} ms (worst ${h.worstP99Ms.toFixed(1)} ms), ` +
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
}

/** Req/s of the trivial route on each server, and beside them the service's digits rows at the same concurrency. */
function floorTable(report: BenchReport): string[][] {
  const plain = report.floor.find((f) => f.label === 'node:http')?.requestsPerS;
  const ofPlain = (n: number) => (plain ? ratio(n / plain) : '-');
  const rows = [['Server (c=32)', 'req/s', 'of node:http', 'p99 latency']];
  for (const f of report.floor) {
    if (f.requestsPerS === undefined) rows.push([`${f.label}, trivial route`, `not measured: ${f.error}`, '', '']);
    else rows.push([`${f.label}, trivial route`, num(f.requestsPerS), ofPlain(f.requestsPerS), ms(f.latencyP99Ms!)]);
  }
  for (const s of report.scenarios.filter((x) => x.connections === FLOOR_CONNECTIONS)) {
    const p99 = median(s.reps.map((r) => r.on.load.latencyP99Ms));
    rows.push([`Vigil, ${s.title}`, num(s.medians.service), ofPlain(s.medians.service), ms(p99)]);
  }
  return rows;
}

interface TargetTables {
  scenarios: string[][];
  other: string[][];
  passed: number;
  total: number;
}

/** Every issue 13 target with its verdict: per scenario (throughput, monitoring, liveness, log), then the rest. */
export function targetTables(report: BenchReport): TargetTables {
  let passed = 0;
  let total = 0;
  const judge = (ok: boolean) => {
    total++;
    if (ok) passed++;
    return verdict(ok);
  };
  const healthOk = (h: HealthDuring) => h.p99Ms < TARGETS.healthP99Ms;
  const scenarios = [
    [
      'Scenario',
      'service / baseline',
      'target',
      `on/off (>= ${TARGETS.monitoringOnOff}x)`,
      `/health/live p99 (< ${TARGETS.healthP99Ms} ms)`,
      'missing (0)',
    ],
  ];
  for (const s of report.scenarios) {
    const h = report.health.find((x) => x.scenario === s.key);
    scenarios.push([
      s.title,
      throughputCell(s),
      s.target ? `>= ${s.target.atLeast}x: ${judge(throughputRatio(s) >= s.target.atLeast)}` : 'none',
      `${ratio(s.ratios.onOff)}: ${judge(s.ratios.onOff >= TARGETS.monitoringOnOff)}`,
      h ? `${ms(h.p99Ms)} (worst ${num(h.worstP99Ms)}): ${judge(healthOk(h))}` : 'not probed',
      `${s.persistence.missing}: ${judge(s.persistence.missing === 0)}`,
    ]);
  }
  const keys = new Set(report.scenarios.map((s) => s.key));
  const other = [['Target', 'measured', 'target', 'verdict']];
  for (const h of report.health.filter((x) => !keys.has(x.scenario))) {
    other.push([
      `/health/live p99 during ${h.scenario}`,
      ms(h.p99Ms),
      `< ${TARGETS.healthP99Ms} ms`,
      judge(healthOk(h)),
    ]);
  }
  const { twoKeys } = report.abuse;
  other.push([
    "two keys: b's predict p99 loaded / alone",
    ratio(twoKeys.ratio),
    `< ${TARGETS.otherKeyP99Ratio}x`,
    judge(twoKeys.ratio < TARGETS.otherKeyP99Ratio),
  ]);
  const p = report.predictions;
  other.push([
    'acknowledged predictions missing from the table (all runs)',
    `${p.missing} of ${p.acknowledged}`,
    '0',
    judge(p.missing === 0),
  ]);
  return { scenarios, other, passed, total };
}

function throughputRatio(s: ScenarioReport): number {
  return s.target?.versus === 'bare' ? s.ratios.serviceBare : s.ratios.serviceRaw;
}

function throughputCell(s: ScenarioReport): string {
  const raw = `${ratio(s.ratios.serviceRaw)} raw (batch ${s.medians.rawBatch.toFixed(0)})`;
  const bare = `${ratio(s.ratios.serviceBare)} bare`;
  return s.target?.versus === 'bare' ? bare : `${raw}, ${bare}`;
}

/** A Markdown table, padded so it reads in a terminal and pastes into BENCHMARKS.md as it is. */
function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, c) => Math.max(3, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  console.log(line(rows[0]));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows.slice(1)) console.log(line(row));
}
