import { z } from 'zod';
import { invalid } from '../common/domain-error';
import { parseInput } from '../common/validation';
import { parseRange } from '../drift/drift.dto';
import type { CalibrationRequest } from './calibration.service';

const instant = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2026-11-27T10:00:00Z' });
const MAX_RANGE_DAYS = 366;

/** Either a registered labelled set (id or name) or a window of labelled feedback, not both. */
export const calibrationSchema = z
  .object({
    set: z.string().min(1).max(200).optional().describe('Evaluation set id or name'),
    from: instant.optional().describe('Start of the window of labelled feedback'),
    to: instant.optional(),
  })
  .strict()
  .refine((b) => (b.from === undefined) === (b.to === undefined), 'give both from and to, or neither')
  .refine((b) => (b.set === undefined) !== (b.from === undefined), 'give either set, or from and to');

export function parseCalibrationRequest(body: unknown): CalibrationRequest {
  const parsed = parseInput(calibrationSchema, body ?? {}, 'body');
  if (parsed.set !== undefined) return { set: parsed.set };
  const range = { from: new Date(parsed.from!), to: new Date(parsed.to!) };
  if (range.from >= range.to) throw invalid('invalid_range', 'from must be before to');
  return range;
}

/** GET .../performance: default the last 7 days; at most a year (weeks are listed one by one). */
export function parsePerformanceRange(query: unknown) {
  const range = parseRange(query, 24 * 7);
  const from = range.from!;
  if (range.to.getTime() - from.getTime() > MAX_RANGE_DAYS * 86_400_000) {
    throw invalid('range_too_long', `from..to spans more than ${MAX_RANGE_DAYS} days`);
  }
  return { version: range.version, from, to: range.to, limit: range.limit };
}
