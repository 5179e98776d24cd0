import { z } from 'zod';
import { DomainError, invalid } from '../../common/domain-error';
import { normaliseInLayout } from '../preprocess/normalise';
import { inputDims, type InputSpec } from '../runtime/types';
import type { BinaryTensors } from './infer-body';
import { requestedOutputs, type OutputDescription, type RequestedOutput } from './requested-outputs';
import { checkDatatype, decodeBinary, decodeJson } from './tensor-data';

export interface OipModelInput {
  inputName: string;
  spec: InputSpec;
  maxBatch: number;
  /** What the model answers with; requested outputs are checked against it. */
  outputs: OutputDescription[];
}

export interface ParsedInferRequest {
  id?: string;
  batch: number;
  /** batch x inputSize values in spec.layout, ready for the model. */
  tensor: Float32Array;
  /** The outputs to answer, in order, each JSON or binary. */
  outputs: RequestedOutput[];
  parameters?: Record<string, unknown>;
}

const parametersSchema = z.record(z.string(), z.unknown());
const requestSchema = z.object({
  id: z.string().optional(),
  parameters: parametersSchema.optional(),
  inputs: z.array(
    z.object({
      name: z.string(),
      shape: z.array(z.number().int()),
      datatype: z.string(),
      parameters: parametersSchema.optional(),
      // Not z.array(): zod would walk and copy every element of a 150k-element image. Elements are
      // checked in one pass later, so the error can name the index of the first bad one.
      data: z.custom<unknown[]>((value) => Array.isArray(value), 'expected an array').optional(),
    }),
  ),
  outputs: z.array(z.object({ name: z.string(), parameters: parametersSchema.optional() })).optional(),
});
type RequestInput = z.infer<typeof requestSchema>['inputs'][number];

/**
 * Validates an Open Inference Protocol v2 infer request against one model's single input. `binary`
 * holds the bytes after the JSON header when the request used the binary tensor data extension.
 */
export function parseInferRequest(header: unknown, model: OipModelInput, binary?: BinaryTensors): ParsedInferRequest {
  const request = validateSchema(header);
  const slices = sliceBinaryData(request.inputs, binary);
  if (request.inputs.length !== 1) {
    throw invalid(
      'invalid_request',
      `the model takes exactly one input ('${model.inputName}') but the request has ${request.inputs.length}`,
    );
  }
  const input = request.inputs[0];
  if (input.name !== model.inputName) {
    throw invalid(
      'wrong_input_name',
      `input '${input.name}' is unknown; the model's input is named '${model.inputName}'`,
      { got: input.name, expected: model.inputName },
    );
  }
  const tensor = { name: input.name, datatype: checkDatatype(input.name, input.datatype), shape: input.shape };
  const batch = checkShape(input, model);
  const outputs = requestedOutputs(request, model.outputs);
  const values = slices[0] ? decodeBinary(tensor, slices[0]) : decodeJson(tensor, input.data ?? []);
  return {
    ...(request.id !== undefined && { id: request.id }),
    batch,
    tensor: tensor.datatype === 'UINT8' ? normaliseInLayout(values, model.spec) : values,
    outputs,
    ...(request.parameters && { parameters: request.parameters }),
  };
}

function validateSchema(body: unknown) {
  const result = requestSchema.safeParse(body);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`);
  throw invalid('invalid_request', `the infer request is malformed: ${problems.slice(0, 5).join('; ')}`, {
    issues: problems,
  });
}

/**
 * Each input's share of the binary data, by its binary_data_size, in input order (undefined for
 * inputs that carry JSON data). The sizes must add up to exactly the bytes after the header.
 */
function sliceBinaryData(inputs: RequestInput[], binary: BinaryTensors | undefined): Array<Buffer | undefined> {
  let offset = 0;
  const declared: string[] = [];
  const slices = inputs.map((input, i) => {
    const size = input.parameters?.binary_data_size;
    if (size === undefined) {
      if (input.data !== undefined) return undefined;
      throw invalid(
        'invalid_request',
        `the infer request is malformed: inputs.${i}.data: input '${input.name}' has neither data nor parameters.binary_data_size`,
      );
    }
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
      throw invalid(
        'invalid_binary_data_size',
        `input '${input.name}' has binary_data_size ${JSON.stringify(size)}; it must be a byte count (a non-negative integer)`,
      );
    }
    if (input.data !== undefined) {
      throw invalid('invalid_request', `input '${input.name}' has both data and binary_data_size; send one of them`);
    }
    if (!binary) {
      throw invalid(
        'missing_binary_data',
        `input '${input.name}' has binary_data_size ${size} but the request has no Inference-Header-Content-Length header, so no binary data follows a JSON header`,
      );
    }
    declared.push(`'${input.name}' ${size}`);
    offset += size;
    return binary.data.subarray(offset - size, offset);
  });
  if (binary && offset !== binary.data.length) {
    const inputsSaid = declared.length ? ` (${declared.join(', ')})` : '';
    throw invalid(
      'binary_size_mismatch',
      `the inputs' binary_data_size add up to ${offset} bytes${inputsSaid} but ${binary.data.length} bytes follow the ${binary.headerLength}-byte JSON header (Inference-Header-Content-Length)`,
      { declared: offset, received: binary.data.length, headerLength: binary.headerLength },
    );
  }
  return slices;
}

/** Returns the batch size once the shape matches the model's [-1, ...] dims in its layout. */
function checkShape(input: RequestInput, model: OipModelInput): number {
  const expected = inputDims(model.spec, -1);
  const { shape } = input;
  const fits = shape.length === expected.length && shape.every((d, i) => i === 0 || d === expected[i]);
  if (!fits) {
    throw invalid(
      'wrong_shape',
      `input '${input.name}' has shape [${shape.join(',')}] but the model expects [${expected.join(',')}] (${model.spec.layout})`,
      { got: shape, expected },
    );
  }
  const batch = shape[0];
  if (batch < 1) throw invalid('wrong_shape', `input '${input.name}' has batch size ${batch}; it must be at least 1`);
  // Checked on the declared shape, before the data is read or any tensor is allocated.
  if (batch > model.maxBatch) {
    throw new DomainError(
      'payload_too_large',
      'batch_too_large',
      `input '${input.name}' has batch size ${batch}; the model accepts at most ${model.maxBatch} per request (MAX_REQUEST_ITEMS)`,
      { batch, maxBatch: model.maxBatch, setting: 'MAX_REQUEST_ITEMS' },
    );
  }
  return batch;
}
