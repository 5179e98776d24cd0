import { stdSerializers } from 'pino';

/*
 * What must not reach a log line besides the headers pino's `redact` covers: values of credential-like
 * query parameters (a key sent as `?api_key=` is refused, but its URL is still logged) and the
 * values of a failed query (TypeORM's QueryFailedError carries them: webhook secrets, labels).
 */

export const REDACTED = '[redacted]';

const secretParameter = /^(api[_-]?key|key|token|access[_-]?token|secret|password|signature)$/i;

/** The URL with the values of credential-like query parameters replaced. */
export function redactUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const start = url.indexOf('?');
  if (start < 0) return url;
  const query = url
    .slice(start + 1)
    .split('&')
    .map((pair) => {
      const cut = pair.indexOf('=');
      const name = cut < 0 ? pair : pair.slice(0, cut);
      return secretParameter.test(safeDecode(name)) && cut >= 0 ? `${name}=${REDACTED}` : pair;
    });
  return `${url.slice(0, start)}?${query.join('&')}`;
}

/** A parsed query object with the same parameters redacted. */
export function redactQuery(query: unknown): unknown {
  if (typeof query !== 'object' || query === null) return query;
  const entries = Object.entries(query).map(([name, value]) => [name, secretParameter.test(name) ? REDACTED : value]);
  return Object.fromEntries(entries);
}

/** pino's error serializer, without the values bound to a failed query (pino-http hands it serialized). */
export function errorWithoutQueryValues(error: unknown): unknown {
  const serialized: unknown = error instanceof Error ? stdSerializers.err(error) : error;
  return withoutRowValues(serialized, 2);
}

/**
 * TypeORM's `parameters` are the bound values; Postgres' `detail` quotes them too ("Failing row
 * contains (...)", "Key (x)=(...) already exists"). The constraint, table and column still say what failed.
 */
function withoutRowValues(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null || depth === 0) return value;
  const record = { ...(value as Record<string, unknown>) };
  if (Array.isArray(record.parameters)) record.parameters = `${REDACTED} (${record.parameters.length} values)`;
  if (typeof record.detail === 'string') record.detail = REDACTED;
  if (record.driverError !== undefined) record.driverError = withoutRowValues(record.driverError, depth - 1);
  return record;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
