// One raw onnxruntime session in a worker thread: runs a fixed batch in a loop for a given time.
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';

export interface RawWorkerData {
  onnxPath: string;
  intraOpThreads: number;
  dims: number[];
}

export type RawCommand = { type: 'measure'; batch: number; durationMs: number } | { type: 'close' };
export type RawReply = { type: 'ready' } | { type: 'measured'; items: number; seconds: number };

async function main(): Promise<void> {
  const port = parentPort!;
  const data = workerData as RawWorkerData;
  // The same session options as the service's inference worker (src/inference/runtime/inference-worker.ts).
  const session = await ort.InferenceSession.create(data.onnxPath, {
    executionProviders: ['cpu'],
    intraOpNumThreads: data.intraOpThreads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  const feeds = (batch: number) => {
    const size = data.dims.reduce((a, b) => a * b, 1);
    const values = Float32Array.from({ length: batch * size }, (_, i) => ((i * 7919) % 255) / 255);
    return { [session.inputNames[0]]: new ort.Tensor('float32', values, [batch, ...data.dims]) };
  };
  for (let i = 0; i < 3; i++) await session.run(feeds(1)); // first runs allocate
  port.postMessage({ type: 'ready' } satisfies RawReply);
  port.on('message', (command: RawCommand) => {
    if (command.type === 'close') {
      void session.release().finally(() => port.close());
      return;
    }
    void measure(session, feeds(command.batch), command.batch, command.durationMs).then((reply) =>
      port.postMessage(reply satisfies RawReply),
    );
  });
}

async function measure(
  session: ort.InferenceSession,
  input: Record<string, ort.Tensor>,
  batch: number,
  durationMs: number,
): Promise<RawReply> {
  await session.run(input); // a new batch size reallocates
  const started = performance.now();
  let items = 0;
  while (performance.now() - started < durationMs) {
    await session.run(input);
    items += batch;
  }
  return { type: 'measured', items, seconds: (performance.now() - started) / 1000 };
}

void main();
