import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, relative } from 'node:path';
import { freePort } from '../../src/infra/net/free-port';
import { demoServiceEnv } from './demo-env';
import { DemoStoryResult, runDemoStory } from './demo-story';

/*
 * `npm run demo`: starts the built service (embedded Postgres and in-process jobs unless
 * DATABASE_URL / REDIS_URL are set) with its own DATA_DIR, runs the story against it, prints the
 * dashboard URL and keeps running until Ctrl-C. `--exit` stops once the story is told (for timing).
 */

const say = (line: string) => console.log(line);

function repoRoot(from = __dirname): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) if (existsSync(join(dir, 'package.json'))) return dir;
  throw new Error('package.json not found');
}

const root = repoRoot();
const dataDir = join(root, '.vigil-demo');
const logFile = join(dataDir, 'service.log');

/** The embedded database starts clean every run; a configured one is kept (new model name instead). */
function prepareDataDir(): void {
  if (process.env.DATABASE_URL) {
    say('DATABASE_URL is set: using that database; earlier demo runs stay, this one picks a free model name');
  } else if (existsSync(dataDir)) {
    rmSync(dataDir, { recursive: true, force: true });
    say(`starting clean: removed ./${relative(root, dataDir)} (the demo's own embedded Postgres and model files)`);
  }
  mkdirSync(dataDir, { recursive: true });
}

async function portFor(preferred: number): Promise<number> {
  const server = createServer();
  const free = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(preferred, '127.0.0.1', () => server.close(() => resolve(true)));
  });
  return free ? preferred : freePort();
}

function startService(port: number): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, ...demoServiceEnv, DATA_DIR: dataDir, PORT: String(port) };
  env.HOST = '127.0.0.1';
  if (process.env.REDIS_URL) env.JOBS_IN_API = 'true'; // one process consumes its own queues
  const log = createWriteStream(logFile, { flags: 'a' });
  // Its own process group: Ctrl-C reaches the demo only, which stops the service exactly once.
  const child = spawn(process.execPath, [join(root, 'dist', 'src', 'main.js')], { cwd: root, env, detached: true });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  return child;
}

async function waitUntilReady(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}:\n${logTail()}`);
    const status = await fetch(`${url}/health/ready`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`not ready after 120 s:\n${logTail()}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

function logTail(): string {
  return existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n') : '';
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

async function main(): Promise<void> {
  if (!existsSync(join(root, 'dist', 'src', 'main.js'))) throw new Error('run `npm run build` first');
  const started = Date.now();
  prepareDataDir();
  const port = await portFor(Number(process.env.PORT ?? 3000));
  const url = `http://127.0.0.1:${port}`;
  const where = process.env.DATABASE_URL ? 'DATABASE_URL' : `embedded Postgres in ./${relative(root, dataDir)}`;
  say(`starting the service on ${url} (${where}; jobs ${process.env.REDIS_URL ? 'through Redis' : 'in-process'})`);
  const child = startService(port);
  process.on('exit', () => child.exitCode === null && child.kill('SIGTERM'));
  await waitUntilReady(url, child);
  say(`service ready after ${((Date.now() - started) / 1000).toFixed(1)} s (log: ./${relative(root, logFile)})`);
  const story = await runDemoStory(url, say, process.env.DEMO_API_KEY).catch(async (error: unknown) => {
    await stop(child);
    throw error;
  });
  say(`demo finished ${((Date.now() - started) / 1000).toFixed(0)} s after start`);
  say(`\nDashboard: ${url}/dashboard\n`);
  await keepRunning(child, url, story);
}

/** Until Ctrl-C (or at once with --exit): then the endpoint is deleted and both servers stop. */
async function keepRunning(child: ChildProcess, url: string, story: DemoStoryResult): Promise<void> {
  let stopping = false;
  const shutdown = async () => {
    stopping = true;
    // The receiver goes away with the demo: its endpoint would only collect failed deliveries.
    await fetch(`${url}/v1/webhooks/${story.endpointId}`, { method: 'DELETE' }).catch(() => undefined);
    await Promise.all([stop(child), story.receiver.close()]);
    process.exit(0);
  };
  if (process.argv.includes('--exit')) return shutdown();
  say('The service and the webhook receiver keep running; Ctrl-C stops both.');
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
  child.once('exit', (code) => {
    if (stopping) return;
    say(`the service exited (${code}); see ./${relative(root, logFile)}`);
    process.exit(1);
  });
}

main().catch((error: unknown) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
