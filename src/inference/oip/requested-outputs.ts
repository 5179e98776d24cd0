import { invalid } from '../../common/domain-error';

type Parameters = Record<string, unknown> | undefined;

/** An output the model answers with, as the client can ask for it. */
export interface OutputDescription {
  name: string;
  /** Only numeric outputs can be ranked by the classification extension. */
  numeric: boolean;
}

export interface RequestedOutput {
  name: string;
  /** Returned as binary tensor data after the JSON header, instead of a JSON `data` array. */
  binary: boolean;
  /** Classification extension: the top `classification` classes per row as "score:index:label". */
  classification?: number;
}

export interface OutputsRequest {
  parameters?: Parameters;
  outputs?: Array<{ name: string; parameters?: Parameters }>;
}

/**
 * Which outputs to answer and how. No `outputs` (or an empty list) means every output; top-level
 * `binary_data_output` makes them binary unless an output's own `binary_data` says otherwise.
 */
export function requestedOutputs(request: OutputsRequest, available: OutputDescription[]): RequestedOutput[] {
  const binaryDefault = flag(request.parameters, 'binary_data_output', 'parameters') ?? false;
  if (!request.outputs?.length) return available.map(({ name }) => ({ name, binary: binaryDefault }));
  const seen = new Set<string>();
  return request.outputs.map(({ name, parameters }) => {
    const output = available.find((o) => o.name === name);
    if (!output) {
      const names = available.map((o) => `'${o.name}'`).join(', ');
      throw invalid('unknown_output', `output '${name}' is unknown; the model's outputs are ${names}`, {
        got: name,
        available: available.map((o) => o.name),
      });
    }
    if (seen.has(name)) throw invalid('duplicate_output', `output '${name}' is requested more than once`);
    seen.add(name);
    const binary = flag(parameters, 'binary_data', `output '${name}'`) ?? binaryDefault;
    const classification = classCount(output, parameters?.classification);
    return { name, binary, ...(classification !== undefined && { classification }) };
  });
}

function flag(parameters: Parameters, key: string, where: string): boolean | undefined {
  const value = parameters?.[key];
  if (value === undefined || typeof value === 'boolean') return value;
  throw invalid('invalid_parameter', `${where} has ${key} ${JSON.stringify(value)}; it must be true or false`);
}

function classCount(output: OutputDescription, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (!output.numeric) {
    throw invalid(
      'invalid_parameter',
      `output '${output.name}' holds labels, not scores; classification applies to a numeric output`,
    );
  }
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 1) return value;
  throw invalid(
    'invalid_parameter',
    `output '${output.name}' has classification ${JSON.stringify(value)}; it must be a positive integer (how many classes to return per row)`,
  );
}
