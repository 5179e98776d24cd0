import { once } from 'node:events';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { BenchModel, inputDims } from './models';
import type { RawCommand, RawReply, RawWorkerData } from './raw-worker';
import { ThreadConfig } from './settings';

/**
 * Raw onnxruntime-node throughput with the service's thread layout: one session per worker
 * thread, each running the same batch back to back, no HTTP, no queue, no copies.
 */
export class RawOnnxRunner {
  private constructor(private readonly workers: Worker[]) {}

  static async start(dist: string, model: BenchModel, threads: ThreadConfig): Promise<RawOnnxRunner> {
    const data: RawWorkerData = {
      onnxPath: model.onnxPath,
      intraOpThreads: threads.intraOpThreads,
      dims: inputDims(model.inputSpec),
    };
    const workers = Array.from(
      { length: threads.workers },
      () => new Worker(join(dist, 'bench', 'raw-worker.js'), { workerData: data }),
    );
    await Promise.all(workers.map((worker) => nextReply(worker)));
    return new RawOnnxRunner(workers);
  }

  /** Items per second over all workers, running concurrently. */
  async measure(batch: number, durationS: number): Promise<number> {
    const replies = this.workers.map((worker) => nextReply(worker));
    const command: RawCommand = { type: 'measure', batch, durationMs: durationS * 1000 };
    this.workers.forEach((worker) => worker.postMessage(command));
    const results = await Promise.all(replies);
    let itemsPerS = 0;
    for (const reply of results) if (reply.type === 'measured') itemsPerS += reply.items / reply.seconds;
    return itemsPerS;
  }

  async close(): Promise<void> {
    await Promise.all(
      this.workers.map(async (worker) => {
        const exited = once(worker, 'exit');
        worker.postMessage({ type: 'close' } satisfies RawCommand);
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
        await worker.terminate();
      }),
    );
  }
}

async function nextReply(worker: Worker): Promise<RawReply> {
  // Both listeners are removed once either fires: one left per call piled up on the worker.
  const done = new AbortController();
  const { signal } = done;
  try {
    const [reply] = (await Promise.race([
      once(worker, 'message', { signal }),
      once(worker, 'error', { signal }).then(([err]) => Promise.reject(err)),
    ])) as [RawReply];
    return reply;
  } finally {
    done.abort();
  }
}
