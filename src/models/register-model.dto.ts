import { z } from 'zod';

const channels = z.union([z.literal(1), z.literal(3)]);

// Inputs are normalised into float32 tensors: a mean or scale beyond float32's range, or a std
// below its smallest normal number, turns every input into ±Infinity and every score into null.
const FLOAT32_MAX = 3.4028234663852886e38;
const FLOAT32_MIN_NORMAL = 1.1754943508222875e-38;
const float32 = z
  .number()
  .finite()
  .refine((v) => Math.abs(v) <= FLOAT32_MAX, `must be a float32: |value| <= ${FLOAT32_MAX}`);
const positive = z
  .number()
  .finite()
  .positive()
  .refine(
    (v) => v >= FLOAT32_MIN_NORMAL && v <= FLOAT32_MAX,
    `must be a normal float32: from ${FLOAT32_MIN_NORMAL} to ${FLOAT32_MAX}`,
  );

/** Whether (pixel * scale - mean) / std stays a finite float32 for every 8-bit pixel value. */
function normalisesFinitely(spec: { scale: number; mean: number[]; std: number[] }): boolean {
  if (spec.mean.length !== spec.std.length) return true; // reported by the per-channel check
  return spec.mean.every((mean, c) =>
    [0, 255].every((pixel) => Math.abs((pixel * spec.scale - mean) / spec.std[c]) <= FLOAT32_MAX),
  );
}

export const inputSpecSchema = z
  .object({
    layout: z.enum(['NCHW', 'NHWC']),
    channels,
    height: z.number().int().min(1).max(4096),
    width: z.number().int().min(1).max(4096),
    scale: positive,
    mean: z.array(float32),
    std: z.array(positive),
    output: z.enum(['logits', 'probabilities']),
    resize: z
      .discriminatedUnion('mode', [
        z.object({ mode: z.literal('fill') }),
        z.object({ mode: z.literal('centre-crop'), shorterSide: z.number().int().min(1).max(4096) }),
      ])
      .optional(),
  })
  .refine((s) => s.mean.length === s.channels && s.std.length === s.channels, {
    message: 'mean and std need one value per channel',
  })
  .refine((s) => s.resize?.mode !== 'centre-crop' || s.resize.shorterSide >= Math.max(s.height, s.width), {
    message: 'resize.shorterSide must be at least the larger of height and width, so the centre crop fits',
    path: ['resize', 'shorterSide'],
  })
  .refine(normalisesFinitely, {
    message: `(pixel * scale - mean) / std must stay within float32 range (${FLOAT32_MAX}) for pixels 0 to 255`,
  });

/** Registration metadata: a multipart `metadata` field (JSON) next to `file`, or a JSON body with `path`. */
export const registerModelSchema = z.object({
  name: z.string().regex(/^[a-zA-Z0-9][\w.-]{0,63}$/, 'must be 1-64 letters, digits, _, . or -'),
  version: z.string().regex(/^[a-zA-Z0-9][\w.-]{0,63}$/, 'must be 1-64 letters, digits, _, . or -'),
  labels: z.array(z.string().min(1).max(200)).min(2).max(100_000),
  inputSpec: inputSpecSchema,
  role: z.enum(['champion', 'challenger']).optional(),
  path: z.string().min(1).max(1024).optional(),
  /** The version (of the same name) this file is a variant of, e.g. the FP32 parent of an INT8 file. */
  variantOf: z
    .string()
    .regex(/^[a-zA-Z0-9][\w.-]{0,63}$/, 'must be 1-64 letters, digits, _, . or -')
    .optional(),
});

export type RegisterModel = z.infer<typeof registerModelSchema>;
