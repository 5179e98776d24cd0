import { z } from 'zod';
import { parseInput } from '../common/validation';
import { MAX_MEMBERS, MIN_MEMBERS } from './voting';

const versionName = z.string().regex(/^[a-zA-Z0-9][\w.-]{0,63}$/, 'must be 1-64 letters, digits, _, . or -');
const voting = z.enum(['hard', 'soft']);

export const explicitEnsembleSchema = z
  .object({
    version: versionName,
    members: z.array(versionName).min(MIN_MEMBERS).max(MAX_MEMBERS),
    voting,
    weights: z.array(z.number().finite().positive().max(1e6)).optional(),
  })
  .strict()
  .refine((r) => new Set(r.members).size === r.members.length, {
    message: 'members must be distinct versions',
    path: ['members'],
  })
  .refine((r) => r.weights === undefined || r.weights.length === r.members.length, {
    message: 'weights needs one value per member',
    path: ['weights'],
  })
  .refine((r) => r.weights === undefined || r.voting === 'soft', {
    message: 'weights apply to soft voting only (hard voting is one vote per member)',
    path: ['weights'],
  });

export const selectEnsembleSchema = z
  .object({
    select: z.literal('top'),
    k: z.number().int().min(MIN_MEMBERS).max(MAX_MEMBERS).default(3),
    set: z.uuid().describe('Evaluation set id: every live plain version is scored on it'),
    voting: voting.default('soft'),
    version: versionName.optional().describe('Default: top<k>-<voting>-<first 8 characters of the set id>'),
  })
  .strict();

export const createEnsembleSchema = z.union([explicitEnsembleSchema, selectEnsembleSchema]);

export type ExplicitEnsemble = z.infer<typeof explicitEnsembleSchema>;
export type SelectEnsemble = z.infer<typeof selectEnsembleSchema>;
export type CreateEnsemble = ExplicitEnsemble | SelectEnsemble;

/** A body with `select` builds the top-k; any other body names its members. */
export function parseCreateEnsemble(body: unknown): CreateEnsemble {
  const selects = typeof body === 'object' && body !== null && 'select' in body;
  return selects ? parseInput(selectEnsembleSchema, body, 'body') : parseInput(explicitEnsembleSchema, body, 'body');
}
