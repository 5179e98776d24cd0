import { runLoad } from '../load';
import { median } from '../report';
import { ServerProcess, startFloorServer } from '../servers';
import { BenchSettings } from '../settings';
import { EchoRequest, FLOOR_PATH } from './floor-route';

/** The floor servers, by the entry file each runs under bench/floor/. */
export const FLOOR_SERVERS = [
  { label: 'node:http', entry: 'node-http-server' },
  { label: 'NestJS 11 + Express', entry: 'nest-express-server' },
  { label: 'NestJS 11 + Fastify', entry: 'nest-fastify-server' },
] as const;

export const FLOOR_CONNECTIONS = 32;

export interface FloorResult {
  label: string;
  /** Median requests/s over the repetitions; absent when the server did not start (`error` says why). */
  requestsPerS?: number;
  perRep: number[];
  latencyP99Ms?: number;
  non2xx: number;
  error?: string;
}

/**
 * The ceiling the framework alone sets: one POST route taking and answering a small JSON, at the
 * digits scenarios' concurrency, with the same client and durations. The servers run one at a time
 * in an order that rotates each repetition, and are stopped before the service is measured.
 */
export async function measureFloor(dist: string, settings: BenchSettings, reps: number): Promise<FloorResult[]> {
  const servers: ServerProcess[] = [];
  const failed: FloorResult[] = [];
  try {
    for (const s of FLOOR_SERVERS) {
      // One server that cannot start (a platform package missing) leaves the others' numbers standing.
      await startFloorServer(dist, s.label, s.entry).then(
        (server) => servers.push(server),
        (err: Error) =>
          failed.push({ label: s.label, perRep: [], non2xx: 0, error: err.message.replace(/\s+/g, ' ').slice(0, 300) }),
      );
    }
    const bodies = Array.from({ length: 8 }, (_, i) =>
      JSON.stringify({ name: 'digits', value: i } satisfies EchoRequest),
    );
    const target = (server: ServerProcess) => ({
      url: server.url,
      path: FLOOR_PATH,
      contentType: 'application/json',
      bodies,
      itemsPerRequest: 1,
      connections: FLOOR_CONNECTIONS,
    });
    for (const server of servers) await runLoad(target(server), settings.prewarmS);
    const runs = servers.map(() => [] as Array<Awaited<ReturnType<typeof runLoad>>>);
    for (let r = 0; r < reps; r++) {
      for (let i = 0; i < servers.length; i++) {
        const index = (i + r) % servers.length;
        await runLoad(target(servers[index]), settings.warmupS);
        const load = await runLoad(target(servers[index]), settings.measureS);
        runs[index].push(load);
        console.log(`  floor rep ${r + 1}: ${servers[index].label} ${load.itemsPerS.toFixed(0)} req/s`);
      }
    }
    const measured = servers.map((server, i) => ({
      label: server.label,
      requestsPerS: median(runs[i].map((l) => l.itemsPerS)),
      perRep: runs[i].map((l) => l.itemsPerS),
      latencyP99Ms: median(runs[i].map((l) => l.latencyP99Ms)),
      non2xx: runs[i].reduce((n, l) => n + l.non2xx + l.errors, 0),
    }));
    return FLOOR_SERVERS.map(({ label }) => [...measured, ...failed].find((r) => r.label === label)!);
  } finally {
    await Promise.allSettled(servers.map((s) => s.stop()));
  }
}
