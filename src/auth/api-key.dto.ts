import { z } from 'zod';
import { SCOPES } from './scopes';

export const createApiKeySchema = z.strictObject({
  name: z.string().regex(/^[\w.-]{1,64}$/, 'must be 1-64 letters, digits, _, . or -'),
  scopes: z.array(z.enum(SCOPES)).min(1).max(SCOPES.length),
});

export const apiKeyIdSchema = z.uuid({ error: 'must be a UUID' });
