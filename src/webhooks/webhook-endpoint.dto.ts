import { Webhook } from 'standardwebhooks';
import { z } from 'zod';
import { ALL_EVENTS, subscribableEventTypes } from './webhook-event-catalogue';
import { secretPattern } from './webhook-signer';

const targetUrl = z
  .string()
  .max(2048)
  .refine((value) => URL.canParse(value), 'is not a valid URL')
  .refine(
    (value) => !URL.canParse(value) || ['http:', 'https:'].includes(new URL(value).protocol),
    'must use http:// or https://',
  );

const eventType = z.string().superRefine((value, context) => {
  if (value === ALL_EVENTS || (subscribableEventTypes as string[]).includes(value)) return;
  context.addIssue({
    code: 'custom',
    message: `unknown event type '${value}' (known: ${subscribableEventTypes.join(', ')}, or * for all)`,
  });
});

const eventTypes = z
  .array(eventType)
  .min(1, 'subscribe to at least one event type')
  .max(50)
  .transform((types) => [...new Set(types)]);

const secret = z
  .string()
  .regex(secretPattern, 'must be whsec_ followed by the base64 of 24 to 64 random bytes')
  .refine((value) => decodes(value), 'is not valid base64 after whsec_');

export const createEndpointSchema = z.strictObject({
  url: targetUrl,
  eventTypes,
  enabled: z.boolean().default(true),
  description: z.string().max(500).nullish(),
  secret: secret.optional(),
});

export const updateEndpointSchema = z
  .strictObject({
    url: targetUrl.optional(),
    eventTypes: eventTypes.optional(),
    enabled: z.boolean().optional(),
    description: z.string().max(500).nullish(),
  })
  .refine((body) => Object.keys(body).length > 0, 'send at least one of url, eventTypes, enabled, description');

export const listDeliveriesSchema = z.object({
  status: z.enum(['pending', 'delivered', 'failed']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const idSchema = z.uuid('must be a UUID');

export type CreateEndpointRequest = z.infer<typeof createEndpointSchema>;
export type UpdateEndpointRequest = z.infer<typeof updateEndpointSchema>;
export type ListDeliveriesRequest = z.infer<typeof listDeliveriesSchema>;

function decodes(value: string): boolean {
  try {
    new Webhook(value);
    return true;
  } catch {
    return false;
  }
}
