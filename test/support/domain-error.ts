import { DomainError } from '../../src/common/domain-error';

/** The DomainError `fn` throws; fails the test when it throws something else or nothing. */
export function domainErrorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    return err as DomainError;
  }
  throw new Error('expected a DomainError');
}
