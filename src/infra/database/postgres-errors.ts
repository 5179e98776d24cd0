/** Postgres' unique_violation, on a pg error or on TypeORM's QueryFailedError wrapping one. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, driverError } = error as { code?: string; driverError?: { code?: string } };
  return (code ?? driverError?.code) === '23505';
}
