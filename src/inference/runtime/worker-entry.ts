import { join } from 'node:path';

export interface WorkerEntry {
  filename: string;
  /** undefined: inherit the parent's execArgv. */
  execArgv?: string[];
}

/**
 * Compiled (dist): this module is a .js file and the worker is its .js sibling.
 * Under jest/ts-node this module is a .ts file, so the worker is spawned from its
 * .ts source with ts-node's transpile-only require hook (worker threads do not
 * inherit jest's or ts-node's in-process transformers).
 */
export function resolveWorkerEntry(moduleFile: string = __filename, dir: string = __dirname): WorkerEntry {
  if (moduleFile.endsWith('.ts')) {
    return { filename: join(dir, 'inference-worker.ts'), execArgv: ['--require', 'ts-node/register/transpile-only'] };
  }
  return { filename: join(dir, 'inference-worker.js') };
}
