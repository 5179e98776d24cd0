import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { ApiOipErrors } from '../openapi/errors';
import { ApiBodies } from '../openapi/operation';
import { schemaRef } from '../openapi/schema-registry';
import { oipInferRequest, oipInferResponse } from '../openapi/schemas/serving.schemas';
import { UNIT_ID_DESCRIPTION } from './unit-id';

export const inferDescription =
  'The body is read whatever its Content-Type (none, application/json, application/octet-stream): JSON, ' +
  'or with `Inference-Header-Content-Length` a JSON header followed by binary tensors (binary tensor data ' +
  'extension). Outputs come back binary when asked (`binary_data` on an output, `binary_data_output` on the ' +
  'request), then as application/octet-stream with `Inference-Header-Content-Length`; ' +
  '`classification: k` on an output returns its top k as "score:index:label" (classification extension).';

const binaryBody = {
  type: 'string' as const,
  format: 'binary',
  description: 'The JSON header (Inference-Header-Content-Length bytes), then each binary tensor in order',
};

/** Headers, bodies and answers shared by both infer routes. */
export function InferDocs(): MethodDecorator {
  return applyDecorators(
    ApiHeader({ name: 'x-unit-id', required: false, description: UNIT_ID_DESCRIPTION }),
    ApiHeader({
      name: 'Inference-Header-Content-Length',
      required: false,
      description: 'Byte length of the JSON header when binary tensors follow it',
      schema: { type: 'integer', minimum: 0 },
    }),
    ApiBodies({ 'application/json': schemaRef(oipInferRequest), 'application/octet-stream': binaryBody }),
    ApiResponse({
      status: 200,
      description: 'The requested outputs (by default the model output and predicted_label), one row per input row',
      headers: {
        'Inference-Header-Content-Length': {
          description: 'Only on a binary answer: byte length of its JSON header',
          schema: { type: 'integer' },
        },
      },
      content: {
        'application/json': { schema: schemaRef(oipInferResponse) },
        'application/octet-stream': {
          schema: { ...binaryBody, description: 'The JSON header, then each binary output in order' },
        },
      },
    }),
    ApiOipErrors(400, 404, 413, 415, 422, 503),
  );
}
