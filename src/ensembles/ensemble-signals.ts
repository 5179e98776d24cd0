import { join } from 'node:path';
import { Piscina } from 'piscina';
import type { SignalCounts } from '../inference/runtime/types';
import type { EnsembleSignalTask } from './ensemble-signals.worker';

/** Compiled, the worker is the .js sibling; under jest it is the .ts source with ts-node's hook. */
function workerFile(): { filename: string; execArgv?: string[] } {
  if (!__filename.endsWith('.ts')) return { filename: join(__dirname, 'ensemble-signals.worker.js') };
  return {
    filename: join(__dirname, 'ensemble-signals.worker.ts'),
    execArgv: ['--require', 'ts-node/register/transpile-only'],
  };
}

/**
 * Signal counts of an ensemble's own answers (its input, its combined class and confidence): the
 * members' sessions count their own outputs, so the ensemble's are binned here, in one thread
 * started with the first ensemble.
 */
export class EnsembleSignalCounter {
  private pool: Piscina | undefined;

  count(task: EnsembleSignalTask): Promise<SignalCounts> {
    this.pool ??= new Piscina({ ...workerFile(), minThreads: 1, maxThreads: 1, idleTimeout: Infinity });
    return this.pool.run(task) as Promise<SignalCounts>;
  }

  async close(): Promise<void> {
    await this.pool?.destroy();
    this.pool = undefined;
  }
}
