// A separate process (so the load generator's busy event loop does not inflate its timings) that
// GETs a URL at a fixed low rate over fresh connections, like an orchestrator's liveness probe.
import { spawn } from 'node:child_process';
import { get } from 'node:http';
import { join } from 'node:path';

export interface ProbeResult {
  samples: number;
  failures: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Starts the probe; the returned promise settles when it has run durationS. */
export function probeLatency(dist: string, url: string, ratePerS: number, durationS: number): Promise<ProbeResult> {
  const child = spawn(
    process.execPath,
    [join(dist, 'bench', 'health-probe.js'), url, String(ratePerS), String(durationS)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as ProbeResult) : reject(new Error(`probe exited ${code}`)),
    );
  });
}

function once(url: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = get(url, { agent: false, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200 ? performance.now() - started : -1));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(-1));
  });
}

async function main(url: string, ratePerS: number, durationS: number): Promise<void> {
  const pending: Array<Promise<number>> = [];
  const timer = setInterval(() => pending.push(once(url)), 1000 / ratePerS);
  await new Promise((resolve) => setTimeout(resolve, durationS * 1000));
  clearInterval(timer);
  const results = await Promise.all(pending);
  const ok = results.filter((ms) => ms >= 0).sort((a, b) => a - b);
  const at = (q: number) => ok[Math.min(ok.length - 1, Math.ceil(q * ok.length) - 1)] ?? NaN;
  const result: ProbeResult = {
    samples: results.length,
    failures: results.length - ok.length,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: ok[ok.length - 1] ?? NaN,
  };
  process.stdout.write(JSON.stringify(result));
}

if (require.main === module) {
  const [url, rate, duration] = process.argv.slice(2);
  void main(url, Number(rate), Number(duration));
}
