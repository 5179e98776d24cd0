// Runs in a worker thread (EnsembleSignalCounter's pool): binning every pixel of an input scales
// with the image, so it stays off the API's event loop, as it does for single models.
import { computeSignalCounts } from '../inference/runtime/signals';
import type { InputSpec, SignalCounts, SignalSpec } from '../inference/runtime/types';

export interface EnsembleSignalTask {
  input: Float32Array;
  probabilities: Float32Array;
  spec: InputSpec;
  signals: SignalSpec[];
}

export default function countInWorker(task: EnsembleSignalTask): SignalCounts {
  return computeSignalCounts(task.input, task.probabilities, 1, task.spec, task.signals);
}
