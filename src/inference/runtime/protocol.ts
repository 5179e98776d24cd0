import { InferenceError, InvalidSignalSpecError, ModelLoadError, type InferenceErrorCode } from './errors';
import type { InputSpec, LoadResult, ProviderAttempt, ProviderName, SignalCounts, SignalSpec } from './types';

// Messages between InferencePool (main thread) and inference-worker. Every request carries an id echoed in its reply.

export interface LoadRequest {
  type: 'load';
  id: number;
  key: string;
  modelPath: string;
  spec: InputSpec;
  providers: ProviderName[];
  intraOpThreads: number;
  signals: SignalSpec[];
}

export interface SetSignalsRequest {
  type: 'setSignals';
  id: number;
  key: string;
  signals: SignalSpec[];
}

export interface RunRequest {
  type: 'run';
  id: number;
  key: string;
  data: Float32Array;
  n: number;
  withSignals: boolean;
}

export interface UnloadRequest {
  type: 'unload';
  id: number;
  key: string;
}

export type WorkerRequest = LoadRequest | SetSignalsRequest | RunRequest | UnloadRequest;

export interface WorkerErrorPayload {
  message: string;
  code: string;
  attempts?: ProviderAttempt[];
}

export type WorkerReply =
  | ({ id: number; type: 'loaded' } & LoadResult)
  | { id: number; type: 'ran'; probabilities: Float32Array; numClasses: number; signals?: SignalCounts }
  | { id: number; type: 'done' }
  | { id: number; type: 'failed'; error: WorkerErrorPayload };

const INFERENCE_CODES: readonly string[] = [
  'inference_failed',
  'invalid_input',
  'model_not_loaded',
  'worker_crashed',
  'pool_closed',
];

// Error classes do not survive postMessage; the code does, and picks the class back.
export function encodeWorkerError(err: unknown): WorkerErrorPayload {
  const code = (err as { code?: unknown } | null)?.code;
  return {
    message: err instanceof Error ? err.message : String(err),
    code: typeof code === 'string' ? code : 'inference_failed',
    attempts: err instanceof ModelLoadError ? err.attempts : undefined,
  };
}

export function decodeWorkerError(payload: WorkerErrorPayload): Error {
  if (payload.code === 'model_load_failed') return new ModelLoadError(payload.message, payload.attempts);
  if (payload.code === 'invalid_signal_spec') return new InvalidSignalSpecError(payload.message);
  const code = INFERENCE_CODES.includes(payload.code) ? (payload.code as InferenceErrorCode) : 'inference_failed';
  return new InferenceError(payload.message, code);
}
