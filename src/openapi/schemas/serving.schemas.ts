import { z } from 'zod';
import { named } from '../schema-registry';

const topK = z.object({ label: z.string(), score: z.number() });

export const predictResponse = named(
  'PredictResponse',
  z.object({
    model_name: z.string(),
    model_version: z.string(),
    predictions: z.array(
      z.object({
        prediction_id: z.uuid().describe('Send it back with POST /v1/feedback'),
        label: z.string(),
        class_index: z.number().int(),
        score: z.number().describe('Top-1 probability'),
        top_k: z.array(topK),
        members: z
          .array(z.object({ version: z.string(), label: z.string(), class_index: z.number().int(), score: z.number() }))
          .optional()
          .describe("An ensemble's members' top-1 answers, in member order (with `?members=true`)"),
      }),
    ),
  }),
);

const tensorMetadata = z.object({
  name: z.string(),
  datatype: z.string(),
  shape: z.array(z.number().int()).describe('-1 marks a dynamic dimension'),
});

export const oipServerMetadata = named(
  'OipServerMetadata',
  z.object({ name: z.string(), version: z.string(), extensions: z.array(z.string()) }),
);
export const oipLive = named('OipLive', z.object({ live: z.boolean() }));
export const oipReady = named('OipReady', z.object({ ready: z.boolean() }));
export const oipModelReady = named('OipModelReady', z.object({ name: z.string(), ready: z.boolean() }));

export const oipModelMetadata = named(
  'OipModelMetadata',
  z.object({
    name: z.string(),
    versions: z.array(z.string()),
    platform: z.literal('onnxruntime_onnx'),
    inputs: z.array(tensorMetadata),
    outputs: z.array(tensorMetadata),
  }),
);

const parameters = z.record(z.string(), z.unknown());

/** The v2 infer request as the protocol defines it; Vigil models take exactly one input. */
export const oipInferRequest = named(
  'OipInferRequest',
  z.object({
    id: z.string().optional(),
    parameters: parameters
      .optional()
      .describe('`binary_data_output: true` returns every output as binary tensor data unless it says otherwise'),
    inputs: z
      .array(
        z.object({
          name: z.string().describe("The model's input name (GET /v2/models/{name})"),
          shape: z.array(z.number().int()).describe('[batch, ...] in the model layout, e.g. [1, 1, 8, 8]'),
          datatype: z
            .enum(['FP32', 'FP16', 'UINT8'])
            .describe('UINT8 pixels are normalised with the input spec; FP16 only as binary data'),
          parameters: parameters
            .optional()
            .describe('`binary_data_size`: the byte size of this input in the binary data after the JSON header'),
          data: z
            .array(z.unknown())
            .optional()
            .describe('Row-major values, flat or nested; absent when the input is sent as binary data'),
        }),
      )
      .length(1),
    outputs: z
      .array(
        z.object({
          name: z.string().describe('The model output or predicted_label'),
          parameters: parameters
            .optional()
            .describe('`binary_data` (boolean): return it as binary data; `classification` (k): its top k classes'),
        }),
      )
      .optional()
      .describe('The outputs to return, in this order; all of them when absent'),
  }),
  'input',
);

export const oipInferResponse = named(
  'OipInferResponse',
  z.object({
    model_name: z.string(),
    model_version: z.string(),
    id: z.string().optional(),
    parameters: z.object({ prediction_ids: z.array(z.uuid()) }),
    outputs: z
      .array(
        z.object({
          name: z.string(),
          shape: z.array(z.number().int()),
          datatype: z.string(),
          data: z.array(z.unknown()).optional().describe('Absent when the output is sent as binary data'),
          parameters: z
            .object({ binary_data_size: z.number().int() })
            .optional()
            .describe('Binary outputs: their byte size in the binary data after the JSON header'),
        }),
      )
      .describe(
        'The model output (FP32 probabilities, batch x classes; BYTES "score:index:label", batch x k, with ' +
          'classification) and predicted_label (BYTES, one per row)',
      ),
  }),
);
