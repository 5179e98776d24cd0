import { errorWithoutQueryValues, redactQuery, redactUrl } from './log-redaction';

describe('issue 14.4: log redaction', () => {
  it.each([
    ['/v1/models', '/v1/models'],
    ['/v1/models?api_key=abc', '/v1/models?api_key=[redacted]'],
    ['/v1/x?page=2&API-KEY=abc&token=t&q=key', '/v1/x?page=2&API-KEY=[redacted]&token=[redacted]&q=key'],
    ['/v1/x?api%5Fkey=abc', '/v1/x?api%5Fkey=[redacted]'],
    ['/v1/x?apikey', '/v1/x?apikey'],
    [undefined, undefined],
  ])('%s -> %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it('redacts the parsed query too', () => {
    expect(redactQuery({ api_key: 'abc', page: '2' })).toEqual({ api_key: '[redacted]', page: '2' });
  });

  it('drops the bound values and the row Postgres quotes, keeps what failed', () => {
    const driverError = Object.assign(new Error('violates check constraint "c"'), {
      detail: 'Failing row contains (whsec_x)',
      constraint: 'c',
    });
    const error = Object.assign(new Error('violates check constraint "c"'), {
      query: 'INSERT ... VALUES ($1)',
      parameters: ['whsec_x'],
      detail: 'Failing row contains (whsec_x)',
      driverError,
    });
    const logged = JSON.stringify(errorWithoutQueryValues(error));
    expect(logged).not.toContain('whsec_x');
    expect(errorWithoutQueryValues(error)).toMatchObject({
      message: 'violates check constraint "c"',
      query: 'INSERT ... VALUES ($1)',
      parameters: '[redacted] (1 values)',
      driverError: { constraint: 'c', detail: '[redacted]' },
    });
  });
});
