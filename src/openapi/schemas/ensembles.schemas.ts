import { z } from 'zod';
import { named } from '../schema-registry';
import { modelVersionView } from './models.schemas';

const setAccuracy = z.object({ version: z.string(), accuracy: z.number(), n: z.number().int() });

export const ensembleView = named(
  'Ensemble',
  z.object({
    model: modelVersionView,
    voting: z.enum(['hard', 'soft']),
    members: z
      .array(z.object({ version: z.string(), weight: z.number() }))
      .describe('In member order; weights count in soft voting only'),
    selection: z
      .object({
        set: z.uuid(),
        k: z.number().int(),
        ranking: z.array(setAccuracy).describe('Every live plain version, best first; the first k are the members'),
      })
      .nullable()
      .describe('Set when the members were chosen as the top k on an evaluation set'),
  }),
);
