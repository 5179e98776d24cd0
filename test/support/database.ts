import { BenchDatabase, createScratchDatabase } from '../../bench/database';

/** A fresh database on the test server (DATABASE_URL), dropped again by `drop()`. */
export function createTestDatabase(): Promise<BenchDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('DATABASE_URL is set by test/setup/global-setup.js');
  return createScratchDatabase(serverUrl, 'vigil_t');
}
