function sqlState(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, driverError } = error as { code?: unknown; driverError?: { code?: unknown } };
  const state = code ?? driverError?.code;
  return typeof state === 'string' ? state : undefined;
}

/** Postgres' unique_violation (of one constraint, when named), on a pg error or a QueryFailedError wrapping one. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (sqlState(error) !== '23505') return false;
  return constraint === undefined || constraintOf(error) === constraint;
}

function constraintOf(error: unknown): string | undefined {
  const { constraint, driverError } = error as { constraint?: unknown; driverError?: { constraint?: unknown } };
  const name = constraint ?? driverError?.constraint;
  return typeof name === 'string' ? name : undefined;
}

/**
 * Text Postgres refuses (see common/storable-text.ts): a NUL in text (22021, invalid byte
 * sequence) or jsonb (22P05, unsupported Unicode escape), an unpaired surrogate in jsonb (22P02,
 * "Unicode low surrogate must follow a high surrogate"). Only client input carries these: a 400.
 */
export function isUnstorableText(error: unknown): boolean {
  const state = sqlState(error);
  if (state === '22021' || state === '22P05') return true;
  if (state !== '22P02') return false;
  const { detail, driverError } = error as { detail?: unknown; driverError?: { detail?: unknown } };
  return /surrogate/i.test(String(detail ?? driverError?.detail ?? ''));
}

const unreachableCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03']);

/**
 * Postgres is unreachable or restarting (connection refused or reset, SQLSTATE class 08, admin or
 * crash shutdown, "cannot connect now" while starting, pool connect timeout): worth a 503 and a
 * retry rather than a 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const state = sqlState(error);
  if (state && (unreachableCodes.has(state) || state.startsWith('08'))) return true;
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED/.test(message);
}
