import { z } from 'zod';
import { SCOPES } from '../../auth/scopes';
import { named } from '../schema-registry';

const keyShape = {
  id: z.uuid(),
  name: z.string(),
  prefix: z.string().describe('First characters of the key, to recognise it'),
  scopes: z.array(z.enum(SCOPES)),
  createdAt: z.iso.datetime(),
  revokedAt: z.iso.datetime().nullable(),
};

export const apiKeyView = named('ApiKey', z.object(keyShape));

export const apiKeyCreated = named(
  'ApiKeyCreated',
  z.object({ ...keyShape, key: z.string().describe('The key itself; only its hash is stored, so it is shown once') }),
);

export const apiKeyList = named('ApiKeyList', z.object({ apiKeys: z.array(apiKeyView) }));
