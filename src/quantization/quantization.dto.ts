import { z } from 'zod';
import { DEFAULT_PERCENTILE } from './defaults';

export const quantizeRequestSchema = z.object({
  set: z.string().min(1).max(200).describe('Name of an evaluation set of this model whose images calibrate the ranges'),
  method: z.enum(['minmax', 'percentile']).default('minmax'),
  percentile: z
    .number()
    .min(90)
    .max(100)
    .default(DEFAULT_PERCENTILE)
    .describe('percentile method only: the range kept is [P(100 - p), P(p)] of each activation'),
  activationType: z
    .enum(['uint8', 'int8'])
    .default('uint8')
    .describe('uint8: asymmetric over [min(lo,0), max(hi,0)]; int8: symmetric, zero point 0'),
  targetVersion: z
    .string()
    .regex(/^[a-zA-Z0-9][\w.-]{0,63}$/, 'must be 1-64 letters, digits, _, . or -')
    .optional()
    .describe('Version name of the INT8 variant; default <version>-int8'),
});

export type QuantizeRequest = z.infer<typeof quantizeRequestSchema>;
