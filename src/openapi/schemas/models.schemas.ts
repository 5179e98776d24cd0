import { z } from 'zod';
import { inputSpecSchema } from '../../models/register-model.dto';
import { named } from '../schema-registry';

const instant = z.iso.datetime();

export const modelVersionView = named(
  'ModelVersion',
  z.object({
    id: z.uuid(),
    name: z.string(),
    version: z.string(),
    role: z.enum(['champion', 'challenger', 'retired']),
    provider: z
      .enum(['cuda', 'webgpu', 'cpu', 'not_loaded'])
      .describe('Execution provider of the loaded session; not_loaded until the version is first used'),
    labels: z.array(z.string()),
    inputSpec: inputSpecSchema,
    fileSha256: z.string(),
    edgesVersion: z.number().int().describe('Version of the drift bin edges live counts use'),
    createdAt: instant,
    promotedAt: instant.nullable(),
    retiredAt: instant.nullable(),
  }),
);

export const modelList = named('ModelList', z.object({ models: z.array(modelVersionView) }));

export const modelVersions = named(
  'ModelVersions',
  z.object({ name: z.string(), versions: z.array(modelVersionView) }),
);
