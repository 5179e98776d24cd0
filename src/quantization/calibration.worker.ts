// Runs in a worker thread (Calibrator's pool): session.run blocks its thread for the whole
// inference, so calibration never runs on the API's event loop.
import * as ort from 'onnxruntime-node';

export interface CalibrationTask {
  /** The calibration copy of the model (extra outputs), kept loaded between batches. */
  modelPath: string;
  inputName: string;
  dims: number[];
  data: Float32Array;
  tensors: string[];
  intraOpThreads: number;
  /** Absent: min/max pass; present: histogram pass over these ranges. */
  histogram?: { bins: number; ranges: Record<string, [number, number]> };
}

export type TensorStats = { min: number; max: number } | { counts: Float64Array };

const sessions = new Map<string, Promise<ort.InferenceSession>>();

function session(task: CalibrationTask): Promise<ort.InferenceSession> {
  let pending = sessions.get(task.modelPath);
  if (!pending) {
    pending = ort.InferenceSession.create(task.modelPath, { intraOpNumThreads: task.intraOpThreads });
    sessions.set(task.modelPath, pending);
  }
  return pending;
}

function minMax(values: Float32Array): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

function histogram(values: Float32Array, [lo, hi]: [number, number], bins: number): Float64Array {
  const counts = new Float64Array(bins);
  const width = (hi - lo) / bins;
  for (const v of values) {
    const bin = width > 0 ? Math.floor((v - lo) / width) : 0;
    counts[Math.min(bins - 1, Math.max(0, bin))] += 1;
  }
  return counts;
}

/** One batch through the calibration copy: per tensor its min/max, or its histogram. */
export default async function calibrateBatch(task: CalibrationTask): Promise<Record<string, TensorStats>> {
  const model = await session(task);
  const feeds = { [task.inputName]: new ort.Tensor('float32', task.data, task.dims) };
  const outputs = await model.run(feeds, task.tensors);
  const stats: Record<string, TensorStats> = {};
  for (const name of task.tensors) {
    const values = outputs[name].data as Float32Array;
    const h = task.histogram;
    stats[name] = h ? { counts: histogram(values, h.ranges[name], h.bins) } : minMax(values);
  }
  return stats;
}

/** Releases the sessions of a finished calibration. */
export async function release(modelPath: string): Promise<void> {
  const pending = sessions.get(modelPath);
  sessions.delete(modelPath);
  await (await pending)?.release();
}
