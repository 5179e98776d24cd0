import { Client } from 'pg';
import { freePort } from '../net/free-port';
import { isDatabaseUnavailable, isUniqueViolation } from './postgres-errors';

describe('isDatabaseUnavailable', () => {
  it('recognises a refused connection from the real driver', async () => {
    const client = new Client({ host: '127.0.0.1', port: await freePort(), connectionTimeoutMillis: 2000 });
    const error = await client.connect().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    [{ code: '57P01', message: 'terminating connection due to administrator command' }, true],
    [{ code: '57P03', message: 'the database system is starting up' }, true],
    [{ code: '08006', message: 'connection failure' }, true],
    [new Error('Connection terminated unexpectedly'), true],
    [{ code: '23505', message: 'duplicate key' }, false],
    [new Error('something else'), false],
  ])('%j -> %s', (error, expected) => {
    expect(isDatabaseUnavailable(error)).toBe(expected);
    if (expected) expect(isUniqueViolation(error)).toBe(false);
  });
});
