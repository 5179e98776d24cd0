import { createScratchDatabase } from '../../bench/database';
import { benchDataDir, startService } from '../../bench/servers';
import { PREFERRED_THREADS } from '../../bench/settings';
import { zooDir } from './zoo-models';

/**
 * VIGIL_URL when set (that service must have MODEL_DIR at this .zoo folder and AUTH_MODE=open),
 * else a service of our own from `dist` on a scratch database on DATABASE_URL, MODEL_DIR=.zoo.
 */
export async function zooService(dist: string, label = 'zoo'): Promise<{ url: string; stop(): Promise<void> }> {
  if (process.env.VIGIL_URL) return { url: process.env.VIGIL_URL.replace(/\/$/, ''), stop: async () => {} };
  const database = await createScratchDatabase(
    process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    `vigil_${label}`,
  );
  const server = await startService({
    label,
    databaseUrl: database.url,
    dataDir: benchDataDir(),
    threads: PREFERRED_THREADS,
    monitoring: true,
    dist,
    env: { MODEL_DIR: zooDir },
  });
  return {
    url: server.url,
    stop: async () => {
      await server.stop();
      await database.drop();
    },
  };
}
