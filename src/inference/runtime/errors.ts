import type { ProviderAttempt } from './types';

/** Base for runtime errors; `code` is what the HTTP layer maps on. */
export abstract class RuntimeError extends Error {
  abstract readonly code: string;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class ModelLoadError extends RuntimeError {
  readonly code = 'model_load_failed';

  constructor(
    message: string,
    readonly attempts: ProviderAttempt[] = [],
  ) {
    super(message);
  }
}

export type InferenceErrorCode =
  'inference_failed' | 'invalid_input' | 'model_not_loaded' | 'worker_crashed' | 'pool_closed';

export class InferenceError extends RuntimeError {
  constructor(
    message: string,
    readonly code: InferenceErrorCode = 'inference_failed',
  ) {
    super(message);
  }
}

export class InvalidSignalSpecError extends RuntimeError {
  readonly code = 'invalid_signal_spec';
}

export class QueueFullError extends RuntimeError {
  readonly code = 'queue_full';

  constructor(
    message: string,
    readonly retryAfterSeconds: number = 1,
  ) {
    super(message);
  }
}

export class BatchResultMismatchError extends RuntimeError {
  readonly code = 'batch_result_mismatch';
}
