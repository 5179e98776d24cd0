import { z } from 'zod';

const channels = z.union([z.literal(1), z.literal(3)]);
const positive = z.number().finite().positive();

export const inputSpecSchema = z
  .object({
    layout: z.enum(['NCHW', 'NHWC']),
    channels,
    height: z.number().int().min(1).max(4096),
    width: z.number().int().min(1).max(4096),
    scale: positive,
    mean: z.array(z.number().finite()),
    std: z.array(positive),
    output: z.enum(['logits', 'probabilities']),
  })
  .refine((s) => s.mean.length === s.channels && s.std.length === s.channels, {
    message: 'mean and std need one value per channel',
  });

/** Registration metadata: a multipart `metadata` field (JSON) next to `file`, or a JSON body with `path`. */
export const registerModelSchema = z.object({
  name: z.string().regex(/^[a-zA-Z0-9][\w.-]{0,63}$/, 'must be 1-64 letters, digits, _, . or -'),
  version: z.string().regex(/^[a-zA-Z0-9][\w.-]{0,63}$/, 'must be 1-64 letters, digits, _, . or -'),
  labels: z.array(z.string().min(1).max(200)).min(2).max(100_000),
  inputSpec: inputSpecSchema,
  role: z.enum(['champion', 'challenger']).optional(),
  path: z.string().min(1).max(1024).optional(),
});

export type RegisterModel = z.infer<typeof registerModelSchema>;
