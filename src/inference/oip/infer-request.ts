import { z } from 'zod';
import { DomainError, invalid } from '../../common/domain-error';
import { normaliseInLayout } from '../preprocess/normalise';
import { inputDims, type InputSpec } from '../runtime/types';

export const SUPPORTED_DATATYPES = ['FP32', 'UINT8'] as const;
export type SupportedDatatype = (typeof SUPPORTED_DATATYPES)[number];

export interface OipModelInput {
  inputName: string;
  spec: InputSpec;
  maxBatch: number;
}

export interface ParsedInferRequest {
  id?: string;
  batch: number;
  /** batch x inputSize values in spec.layout, ready for the model. */
  tensor: Float32Array;
  /** Names of the requested outputs, when the client asked for specific ones. */
  outputs?: string[];
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
      data: z.custom<unknown[]>((value) => Array.isArray(value), 'expected an array'),
    }),
  ),
  outputs: z.array(z.object({ name: z.string(), parameters: parametersSchema.optional() })).optional(),
});
type RequestInput = z.infer<typeof requestSchema>['inputs'][number];

/** Validates an Open Inference Protocol v2 infer request against one model's single input. */
export function parseInferRequest(body: unknown, model: OipModelInput): ParsedInferRequest {
  const request = validateSchema(body);
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
      {
        got: input.name,
        expected: model.inputName,
      },
    );
  }
  const datatype = checkDatatype(input);
  const batch = checkShape(input, model);
  const values = checkValues(input, datatype);
  const tensor = datatype === 'UINT8' ? normaliseInLayout(values, model.spec) : values;
  return {
    ...(request.id !== undefined && { id: request.id }),
    batch,
    tensor,
    ...(request.outputs && { outputs: request.outputs.map((o) => o.name) }),
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

function checkDatatype(input: RequestInput): SupportedDatatype {
  const found = SUPPORTED_DATATYPES.find((d) => d === input.datatype);
  if (found) return found;
  throw invalid(
    'unsupported_datatype',
    `input '${input.name}' has datatype '${input.datatype}'; supported datatypes are ${SUPPORTED_DATATYPES.join(', ')}`,
    { got: input.datatype, supported: [...SUPPORTED_DATATYPES] },
  );
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

/** Flattens nested data, then checks length and that every element is a value the datatype can carry. */
function checkValues(input: RequestInput, datatype: SupportedDatatype): Float32Array {
  // Flat data (the common case) is used as is; nested data is flattened.
  const flat = input.data.some(Array.isArray) ? flatten(input.data) : input.data;
  const needed = input.shape.reduce((a, b) => a * b, 1);
  if (flat.length !== needed) {
    throw invalid(
      'wrong_data_length',
      `input '${input.name}' has ${flat.length} values but shape [${input.shape.join(',')}] needs ${needed}`,
      { got: flat.length, expected: needed },
    );
  }
  // One pass: check each element and copy it into the tensor.
  const values = new Float32Array(flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (!isValid(v, datatype)) throw badValue(input.name, datatype, i, v);
    values[i] = v as number;
  }
  return values;
}

function isValid(v: unknown, datatype: SupportedDatatype): boolean {
  if (typeof v !== 'number') return false;
  // A finite double can still overflow float32, which would reach the model as Infinity.
  if (datatype === 'FP32') return Number.isFinite(Math.fround(v));
  return Number.isInteger(v) && v >= 0 && v <= 255;
}

function badValue(name: string, datatype: SupportedDatatype, index: number, value: unknown) {
  const shown = JSON.stringify(value) ?? String(value);
  const details = { index, value: shown };
  if (typeof value === 'number' && Number.isFinite(value) && datatype === 'UINT8') {
    return invalid(
      'value_out_of_range',
      `input '${name}' element ${index} is ${shown}; UINT8 values must be integers 0..255`,
      details,
    );
  }
  const want = datatype === 'FP32' ? 'a finite number within FP32 range' : 'an integer 0..255';
  return invalid(
    'non_finite_value',
    `input '${name}' element ${index} is ${shown}; every element must be ${want}`,
    details,
  );
}

/** Iterative so deeply nested arrays cannot overflow the call stack. */
function flatten(data: unknown[]): unknown[] {
  const out: unknown[] = [];
  const stack: Array<{ items: unknown[]; at: number }> = [{ items: data, at: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.at >= top.items.length) {
      stack.pop();
      continue;
    }
    const item = top.items[top.at++];
    if (Array.isArray(item)) stack.push({ items: item, at: 0 });
    else out.push(item);
  }
  return out;
}
