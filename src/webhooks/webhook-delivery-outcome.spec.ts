import { AttemptResult, decide, outcomeOf, retryDelayMs } from './webhook-delivery-outcome';

const result = (outcome: AttemptResult['outcome'], statusCode: number | null = null): AttemptResult => ({
  outcome,
  statusCode,
  latencyMs: 5,
  error: null,
  responseExcerpt: null,
});

describe('webhook delivery outcome', () => {
  it.each([
    [200, 'success'],
    [204, 'success'],
    [299, 'success'],
    [301, 'http_error'],
    [400, 'http_error'],
    [410, 'gone'],
    [500, 'http_error'],
  ])('HTTP %i is %s', (status, outcome) => {
    expect(outcomeOf(status)).toBe(outcome);
  });

  it('doubles the delay from the base', () => {
    expect([1, 2, 3, 7].map((n) => retryDelayMs(n, 1000))).toEqual([1000, 2000, 4000, 64_000]);
  });

  it('spreads the default 8 attempts over about a day', () => {
    const base = 600_000;
    const total = [1, 2, 3, 4, 5, 6, 7].reduce((sum, n) => sum + retryDelayMs(n, base), 0);
    expect(total / 3_600_000).toBeCloseTo(21.17, 1);
  });

  it('delivers on 2xx, retries other failures until the limit', () => {
    expect(decide(result('success', 200), 1, 8, 100)).toEqual({ status: 'delivered' });
    expect(decide(result('http_error', 500), 3, 8, 100)).toEqual({ status: 'pending', retryInMs: 400 });
    expect(decide(result('timeout'), 1, 8, 100)).toEqual({ status: 'pending', retryInMs: 100 });
    expect(decide(result('network_error'), 8, 8, 100)).toEqual({ status: 'failed', disableEndpoint: false });
  });

  it('stops at once and disables the endpoint on 410', () => {
    expect(decide(result('gone', 410), 1, 8, 100)).toEqual({ status: 'failed', disableEndpoint: true });
  });

  it('fails a delivery to a disabled endpoint without retrying', () => {
    expect(decide(result('endpoint_disabled'), 1, 8, 100)).toEqual({ status: 'failed', disableEndpoint: false });
  });
});
