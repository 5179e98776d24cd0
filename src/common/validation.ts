import { z } from 'zod';
import { invalid } from './domain-error';
import { assertStorableText } from './storable-text';

/**
 * Validates a request body or query against a schema; the 400 names the field and the problem.
 * Text Postgres cannot store is refused here, before any query sees it.
 */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, what = 'request'): T {
  assertStorableText(value, what);
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => {
    const path = issue.path.length ? issue.path.join('.') : what;
    return `${path}: ${issue.message}`;
  });
  throw invalid('validation_failed', issues.join('; '), { issues });
}
