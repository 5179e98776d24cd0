/** Open Inference Protocol v2 response shapes (KServe / Triton JSON). */

export interface OipTensor<T = number | string> {
  name: string;
  shape: number[];
  datatype: string;
  data: T[];
}

export interface InferResponse {
  model_name: string;
  model_version: string;
  id?: string;
  parameters: { prediction_ids: string[] };
  outputs: [OipTensor<number>, OipTensor<string>];
}

export interface BuildInferResponseArgs {
  modelName: string;
  modelVersion: string;
  id?: string;
  outputName: string;
  /** batch rows of numClasses, row-major. */
  probabilities: Float32Array;
  batch: number;
  numClasses: number;
  predictionIds: string[];
  /** Top label per row. */
  labels: string[];
}

/** Name of the extra BYTES output carrying each row's top label. */
export const PREDICTED_LABEL_OUTPUT = 'predicted_label';

export function buildInferResponse(args: BuildInferResponseArgs): InferResponse {
  const { batch, numClasses } = args;
  // Mismatches here are bugs in the caller, not client errors.
  if (args.probabilities.length !== batch * numClasses) {
    throw new RangeError(`expected ${batch}x${numClasses} probabilities, got ${args.probabilities.length}`);
  }
  if (args.labels.length !== batch) throw new RangeError(`expected ${batch} labels, got ${args.labels.length}`);
  return {
    model_name: args.modelName,
    model_version: args.modelVersion,
    ...(args.id !== undefined && { id: args.id }),
    parameters: { prediction_ids: [...args.predictionIds] },
    outputs: [
      { name: args.outputName, shape: [batch, numClasses], datatype: 'FP32', data: Array.from(args.probabilities) },
      { name: PREDICTED_LABEL_OUTPUT, shape: [batch], datatype: 'BYTES', data: [...args.labels] },
    ],
  };
}

export interface TensorMetadata {
  name: string;
  datatype: string;
  /** -1 marks a dynamic dimension, as in the v2 protocol. */
  shape: number[];
}

export interface ModelMetadata {
  name: string;
  versions: string[];
  platform: 'onnxruntime_onnx';
  inputs: TensorMetadata[];
  outputs: TensorMetadata[];
}

/** The v2 model metadata response (GET /v2/models/{name}). */
export function modelMetadata(args: ModelMetadata): ModelMetadata {
  const copy = (t: TensorMetadata): TensorMetadata => ({ name: t.name, datatype: t.datatype, shape: [...t.shape] });
  return {
    name: args.name,
    versions: [...args.versions],
    platform: args.platform,
    inputs: args.inputs.map(copy),
    outputs: args.outputs.map(copy),
  };
}

/** The v2 error body. */
export function oipError(message: string): { error: string } {
  return { error: message };
}
