import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { setTimeout as sleep } from 'node:timers/promises';

/** global.gc without --expose-gc: the flag can be set at run time and the function read from a fresh context. */
function collector(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/**
 * This process's memory (the app runs in it) after the prediction log and histogram buffers have
 * had time to flush and two full collections. Waiting is fine here: there is no event that says
 * "every timer-driven flush has run"; 300 ms covers PREDICTION_FLUSH_MS (100) twice over.
 */
export async function settledMemory(): Promise<NodeJS.MemoryUsage> {
  const gc = collector();
  await sleep(300);
  gc();
  await sleep(50);
  gc();
  return process.memoryUsage();
}

/** What a leak of JS objects or of Buffers (request bodies, images) would grow. */
export function heapAndBuffers(usage: NodeJS.MemoryUsage): number {
  return usage.heapUsed + usage.arrayBuffers;
}
