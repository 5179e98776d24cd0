import { z } from 'zod';

export const setNameSchema = z.string().regex(/^[\w.-]{1,100}$/, 'must be 1-100 letters, digits, _, . or -');

export const folderSetSchema = z.object({ name: setNameSchema, path: z.string().min(1).max(1000) });

export const manualEvaluationSchema = z
  .object({
    version: z.string().min(1).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((b) => (b.from === undefined) === (b.to === undefined), 'give both from and to, or neither')
  .refine((b) => !b.from || !b.to || new Date(b.from) < new Date(b.to), 'from must be before to');

export const historySchema = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(50) });

/** labels.csv: `file,label` per line, an optional header `file,label`. */
export function parseLabelsCsv(text: string): Array<{ file: string; label: string; line: number }> {
  return text
    .split(/\r?\n/)
    .map((raw, index) => ({ raw: raw.trim(), line: index + 1 }))
    .filter(({ raw }, index) => raw !== '' && !(index === 0 && /^file\s*,\s*label$/i.test(raw)))
    .map(({ raw, line }) => {
      const comma = raw.indexOf(',');
      return comma < 0
        ? { file: raw, label: '', line }
        : { file: raw.slice(0, comma).trim(), label: raw.slice(comma + 1).trim(), line };
    });
}
