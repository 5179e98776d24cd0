import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

export interface ServiceProcess {
  child: ChildProcess;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/** Runs the built service (`node dist/src/main.js`, as `npm start` does) with the given env. */
export function spawnService(env: Record<string, string | undefined>, entry = 'dist/src/main.js'): ServiceProcess {
  // Production defaults except access control, which the auth suites turn on themselves.
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', AUTH_MODE: 'open', ...env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete childEnv[key];
  const child = spawn(process.execPath, [join(root, entry)], { cwd: root, env: childEnv });
  const chunks: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return {
    child,
    output: () => chunks.join(''),
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      const [code] = await once(child, 'exit');
      return code as number | null;
    },
  };
}

export async function exitCode(service: ServiceProcess): Promise<number | null> {
  if (service.child.exitCode !== null || service.child.signalCode !== null) return service.child.exitCode;
  const [code] = await once(service.child, 'exit');
  return code as number | null;
}

/** Polls a URL until it answers `status`; returns the milliseconds it took. */
export async function waitForStatus(url: string, status: number, timeoutMs: number, service?: ServiceProcess) {
  const started = Date.now();
  for (;;) {
    const answered = await fetch(url).then(
      (r) => r.status,
      () => 0,
    );
    if (answered === status) return Date.now() - started;
    if (service && service.child.exitCode !== null) throw new Error(`service exited:\n${service.output()}`);
    if (Date.now() - started > timeoutMs) throw new Error(`${url} did not answer ${status} in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
