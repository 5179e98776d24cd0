import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import type { CalibrationTask, TensorStats } from './calibration.worker';
import { HISTOGRAM_BINS } from './defaults';
import { histogramPercentile } from './quant-params';

export type CalibrationMethod = { kind: 'minmax' } | { kind: 'percentile'; percentile: number };

export interface CalibrationInput {
  inputName: string;
  /** Dims of one item in the model's layout, without the batch axis. */
  itemDims: number[];
  /** Batches of model inputs (already preprocessed), read once per pass. */
  batches: () => AsyncIterable<{ data: Float32Array; n: number }>;
  batchCount: number;
  intraOpThreads: number;
}

export type Ranges = Map<string, { min: number; max: number }>;

/** Compiled, the worker is the .js sibling; under jest it is the .ts source with ts-node's hook. */
function workerFile(): { filename: string; execArgv?: string[] } {
  if (!__filename.endsWith('.ts')) return { filename: join(__dirname, 'calibration.worker.js') };
  return {
    filename: join(__dirname, 'calibration.worker.ts'),
    execArgv: ['--require', 'ts-node/register/transpile-only'],
  };
}

/**
 * Runs the calibration copy of a model over every batch in one worker thread. Min-max: the
 * range of each tensor over all images. Percentile p: a second pass fills HISTOGRAM_BINS bins
 * over that range, and the range becomes [P(100 - p), P(p)], which drops rare outliers that
 * would otherwise stretch the scale of the whole tensor.
 */
export async function calibrate(
  calibrationModel: Buffer,
  tensors: string[],
  input: CalibrationInput,
  method: CalibrationMethod,
  onBatch: (done: number, total: number) => Promise<void>,
): Promise<Ranges> {
  const folder = join(tmpdir(), 'vigil-calibration');
  await mkdir(folder, { recursive: true });
  const modelPath = join(folder, `${randomUUID()}.onnx`);
  await writeFile(modelPath, calibrationModel);
  const pool = new Piscina({ ...workerFile(), minThreads: 1, maxThreads: 1 });
  const passes = method.kind === 'percentile' ? 2 : 1;
  let done = 0;
  const run = async (histogram?: CalibrationTask['histogram']) => {
    const results: Array<Record<string, TensorStats>> = [];
    for await (const batch of input.batches()) {
      const task: CalibrationTask = {
        modelPath,
        inputName: input.inputName,
        dims: [batch.n, ...input.itemDims],
        data: batch.data,
        tensors,
        intraOpThreads: input.intraOpThreads,
        histogram,
      };
      results.push(await pool.run(task));
      await onBatch(++done, input.batchCount * passes);
    }
    return results;
  };
  try {
    const ranges = mergeMinMax(tensors, await run());
    if (method.kind === 'minmax') return ranges;
    const edges = Object.fromEntries(
      tensors.map((t) => [t, [ranges.get(t)!.min, ranges.get(t)!.max] as [number, number]]),
    );
    const counts = mergeCounts(tensors, await run({ bins: HISTOGRAM_BINS, ranges: edges }));
    return new Map(
      tensors.map((t) => {
        const [lo, hi] = edges[t];
        const c = counts.get(t)!;
        return [
          t,
          {
            min: histogramPercentile(c, lo, hi, 100 - method.percentile),
            max: histogramPercentile(c, lo, hi, method.percentile),
          },
        ];
      }),
    );
  } finally {
    await pool.run(modelPath, { name: 'release' }).catch(() => undefined);
    await pool.destroy();
    await rm(modelPath, { force: true });
  }
}

function mergeMinMax(tensors: string[], results: Array<Record<string, TensorStats>>): Ranges {
  const ranges: Ranges = new Map(tensors.map((t) => [t, { min: Infinity, max: -Infinity }]));
  for (const result of results) {
    for (const t of tensors) {
      const s = result[t] as { min: number; max: number };
      const r = ranges.get(t)!;
      r.min = Math.min(r.min, s.min);
      r.max = Math.max(r.max, s.max);
    }
  }
  return ranges;
}

function mergeCounts(tensors: string[], results: Array<Record<string, TensorStats>>): Map<string, Float64Array> {
  const merged = new Map(tensors.map((t) => [t, new Float64Array(HISTOGRAM_BINS)]));
  for (const result of results) {
    for (const t of tensors) {
      const counts = (result[t] as { counts: Float64Array }).counts;
      const total = merged.get(t)!;
      counts.forEach((c, i) => (total[i] += c));
    }
  }
  return merged;
}
