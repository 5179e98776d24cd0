import { z } from 'zod';
import { named } from '../schema-registry';

const instant = z.iso.datetime();
const interval = z.object({ lower: z.number(), upper: z.number(), level: z.number() });

export const quantizationJobView = named(
  'QuantizationJob',
  z.object({
    id: z.uuid(),
    model: z.string(),
    parentVersion: z.string(),
    targetVersion: z.string(),
    status: z.enum(['queued', 'calibrating', 'registering', 'completed', 'failed']),
    progress: z.object({
      done: z.number().int().describe('Calibration batches run (both passes of the percentile method)'),
      total: z.number().int(),
    }),
    settings: z.object({
      set: z.object({ id: z.uuid(), name: z.string() }),
      method: z.enum(['minmax', 'percentile']),
      percentile: z.number().nullable(),
      activationType: z.enum(['uint8', 'int8']),
      calibrationImages: z.number().int(),
    }),
    report: z
      .object({
        variantVersionId: z.uuid(),
        variantVersion: z.string(),
        fileSha256: z.string(),
        fileBytes: z.number().int(),
        parentFileBytes: z.number().int(),
        quantizedNodes: z.array(z.object({ node: z.string(), opType: z.string() })),
        fp32Ops: z.record(z.string(), z.number().int()).describe('Op types left in FP32, with their node counts'),
        skipped: z.array(z.object({ node: z.string(), opType: z.string(), reason: z.string() })),
        weights: z.array(
          z.object({ node: z.string(), weight: z.string(), axis: z.number().int(), scales: z.array(z.number()) }),
        ),
        activations: z.array(
          z.object({
            tensor: z.string(),
            min: z.number(),
            max: z.number(),
            scale: z.number(),
            zeroPoint: z.number().int(),
          }),
        ),
      })
      .nullable(),
    error: z.string().nullable(),
    createdAt: instant,
    finishedAt: instant.nullable(),
  }),
);

const side = z.object({ correct: z.number().int(), accuracy: z.number(), interval });
const timing = z.object({
  batch: z.number().int(),
  runs: z.number().int(),
  meanLatencyMs: z.number(),
  imagesPerSecond: z.number(),
});

export const variantReportView = named(
  'VariantReport',
  z.object({
    variant: z.object({ id: z.uuid(), version: z.string(), origin: z.enum(['quantized', 'registered']) }),
    parent: z.object({ id: z.uuid(), version: z.string() }),
    sets: z.array(
      z.object({
        set: z.object({ id: z.uuid(), name: z.string() }),
        n: z.number().int(),
        parent: side,
        variant: side,
        agreement: z.object({ count: z.number().int(), rate: z.number(), interval }),
        mcnemar: z.object({
          championOnly: z.number().int().describe('Parent right, variant wrong'),
          challengerOnly: z.number().int().describe('Variant right, parent wrong'),
          statistic: z.number(),
          pValue: z.number(),
          exact: z.boolean(),
        }),
      }),
    ),
    speed: z.array(
      z.object({
        batch: z.number().int(),
        parent: timing,
        variant: timing,
        throughputRatio: z.number().describe('Variant images/s over parent images/s'),
        latencyRatio: z.number().describe('Variant mean latency over parent mean latency'),
      }),
    ),
    host: z.object({ cpu: z.string(), cores: z.number().int() }),
    measuredAt: instant,
  }),
);
