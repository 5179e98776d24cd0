/** What one HTTP attempt produced, as the adapter reports it. */
export interface AttemptResult {
  statusCode: number | null;
  latencyMs: number;
  /** success | http_error | gone | timeout | network_error | refused | endpoint_disabled */
  outcome: AttemptOutcome;
  error: string | null;
  responseExcerpt: string | null;
}

export type AttemptOutcome =
  'success' | 'http_error' | 'gone' | 'timeout' | 'network_error' | 'refused' | 'endpoint_disabled';

/** What happens to the delivery after an attempt. */
export type DeliveryDecision =
  { status: 'delivered' } | { status: 'failed'; disableEndpoint: boolean } | { status: 'pending'; retryInMs: number };

/** 2xx delivers; 410 Gone disables the endpoint; a disabled endpoint is final; anything else retries. */
export function outcomeOf(statusCode: number): AttemptOutcome {
  if (statusCode >= 200 && statusCode < 300) return 'success';
  return statusCode === 410 ? 'gone' : 'http_error';
}

/**
 * Retries back off exponentially: the delay after attempt n is base · 2^(n-1). With the
 * defaults (base 10 min, 8 attempts) the last attempt comes about 21 h after the first.
 */
export function retryDelayMs(attempt: number, baseMs: number): number {
  return baseMs * 2 ** (attempt - 1);
}

export function decide(result: AttemptResult, attempt: number, attemptLimit: number, baseMs: number): DeliveryDecision {
  if (result.outcome === 'success') return { status: 'delivered' };
  if (result.outcome === 'gone') return { status: 'failed', disableEndpoint: true };
  if (result.outcome === 'endpoint_disabled' || attempt >= attemptLimit) {
    return { status: 'failed', disableEndpoint: false };
  }
  return { status: 'pending', retryInMs: retryDelayMs(attempt, baseMs) };
}
