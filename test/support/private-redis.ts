import Redis from 'ioredis';
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { freePort } from '../../src/infra/net/free-port';

/**
 * A redis-server of the test's own (no persistence: a restart comes back empty, as after a
 * crash without AOF), so a fault test can kill it while the shared Redis stays up.
 */
export class PrivateRedis {
  private server?: ChildProcess;

  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.resume();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts it again on the same port, empty. */
  async resume(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    const server = spawn('redis-server', args);
    const output: string[] = [];
    server.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    while (!output.join('').includes('Ready to accept connections')) {
      await Promise.race([
        once(server.stdout!, 'data'),
        once(server, 'exit').then(() => Promise.reject(new Error(output.join('')))),
      ]);
    }
    this.server = server;
  }

  /** SIGKILL: no goodbye to the clients, every key lost. */
  async kill(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server || server.exitCode !== null || server.signalCode !== null) return;
    const exited = once(server, 'exit');
    server.kill('SIGKILL');
    await exited;
  }
}

/** Deletes the keys under a BullMQ prefix (never FLUSHALL: the shared Redis holds others' keys). */
export async function deleteQueueKeys(url: string, prefix: string): Promise<number> {
  const redis = new Redis(url);
  try {
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
    return deleted;
  } finally {
    redis.disconnect();
  }
}
