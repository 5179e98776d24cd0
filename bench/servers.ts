import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BareServerConfig } from './bare-server';
import { FLOOR_READY_PATH } from './floor/floor-route';
import { BenchModel } from './models';
import { repoRoot, ThreadConfig } from './settings';
import { freePort } from '../src/infra/net/free-port';

export interface ServerProcess {
  label: string;
  url: string;
  stop(): Promise<void>;
}

export interface ServiceOptions {
  label: string;
  databaseUrl: string;
  dataDir: string;
  threads: ThreadConfig;
  monitoring: boolean;
  /** dist/ or a snapshot of it (see snapshot.ts). */
  dist: string;
  /** Overrides (AUTH_MODE=keys and API_KEYS for the abuse scenarios). */
  env?: Record<string, string>;
  /** Node options before the entry file (--cpu-prof for bench:profile; not allowed in NODE_OPTIONS). */
  nodeArgs?: string[];
}

/** A shared DATA_DIR, so every instance finds the model files registered through any of them. */
export function benchDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'vigil-bench-'));
}

/** `node dist/src/main.js` (what `npm start` runs), no Redis: jobs run in-process. */
export async function startService(options: ServiceOptions): Promise<ServerProcess> {
  const port = await freePort();
  const monitoring = String(options.monitoring);
  const entry = join(options.dist, 'src', 'main.js');
  return startChild(
    options.label,
    entry,
    `http://127.0.0.1:${port}`,
    '/health/ready',
    {
      NODE_ENV: 'production',
      AUTH_MODE: 'open', // benchmarks measure serving, not key checks
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: options.databaseUrl,
      REDIS_URL: undefined,
      DATA_DIR: options.dataDir,
      LOG_LEVEL: 'warn',
      INFERENCE_PROVIDERS: 'cpu',
      INFERENCE_WORKERS: String(options.threads.workers),
      INFERENCE_INTRA_OP_THREADS: String(options.threads.intraOpThreads),
      PREDICTION_LOG_ENABLED: monitoring,
      HISTOGRAMS_ENABLED: monitoring,
      ...options.env,
    },
    options.nodeArgs,
  );
}

export async function startBareServer(
  dist: string,
  models: BenchModel[],
  intraOpThreads: number,
): Promise<ServerProcess> {
  const port = await freePort();
  const config: BareServerConfig = { port, intraOpThreads, models };
  return startChild('bare', join(dist, 'bench', 'bare-server.js'), `http://127.0.0.1:${port}`, '/ready', {
    BARE_CONFIG: JSON.stringify(config),
  });
}

/** A framework-floor server (bench/floor/<entry>.js): the trivial JSON route, nothing else. */
export async function startFloorServer(dist: string, label: string, entry: string): Promise<ServerProcess> {
  const port = await freePort();
  return startChild(label, join(dist, 'bench', 'floor', `${entry}.js`), `http://127.0.0.1:${port}`, FLOOR_READY_PATH, {
    FLOOR_PORT: String(port),
  });
}

async function startChild(
  label: string,
  entry: string,
  url: string,
  readyPath: string,
  env: Record<string, string | undefined>,
  nodeArgs: string[] = [],
): Promise<ServerProcess> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete childEnv[key];
  const child = spawn(process.execPath, [...nodeArgs, entry], {
    cwd: repoRoot,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => output.push(chunk.toString());
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  await waitReady(`${url}${readyPath}`, child, output);
  return { label, url, stop: () => stopChild(child) };
}

async function waitReady(url: string, child: ChildProcess, output: string[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${url}: server exited (${child.exitCode}):\n${output.join('')}`);
    const status = await fetch(url).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`${url} not ready after 60 s:\n${output.join('')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
