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
