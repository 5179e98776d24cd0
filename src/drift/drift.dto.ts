import { z } from 'zod';
import { invalid } from '../common/domain-error';
import { parseInput } from '../common/validation';

const instant = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2026-11-27T10:00:00Z' });

export const rangeSchema = z.object({
  from: instant.optional(),
  to: instant.optional(),
  version: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(500),
});

export const referenceWindowSchema = z.object({ from: instant, to: instant });

/** A folder of images under REFERENCE_DIR, relative to it. */
export const referenceFolderSchema = z.object({ path: z.string().min(1).max(1000) });

/** The JSON bodies of POST .../drift/reference: a traffic window, or a folder. */
export const referenceJsonSchema = z.union([referenceWindowSchema, referenceFolderSchema]);

export const settingsSchema = z.object({ threshold: z.number().positive().max(100).nullable() });

/** A time range from a query or body; `to` must come after `from`. */
export function parseRange(query: unknown, defaultHours: number | null) {
  const parsed = parseInput(rangeSchema, query, 'query');
  const to = parsed.to ? new Date(parsed.to) : new Date();
  const from = parsed.from
    ? new Date(parsed.from)
    : defaultHours === null
      ? null
      : new Date(to.getTime() - defaultHours * 3_600_000);
  if (from && from >= to)
    throw invalid('invalid_range', `from (${from.toISOString()}) must be before to (${to.toISOString()})`);
  return { ...parsed, from, to, explicit: Boolean(parsed.from || parsed.to) };
}
