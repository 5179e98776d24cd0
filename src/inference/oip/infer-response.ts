/** Open Inference Protocol v2 response shapes (KServe / Triton). */
import type { RequestedOutput } from './requested-outputs';

/** One output as computed; encodeInferResponse writes it as JSON `data` or as binary tensor data. */
export interface OutputTensor {
  name: string;
  shape: number[];
  datatype: 'FP32' | 'BYTES';
  values: Float32Array | string[];
  binary: boolean;
}

export interface InferResult {
  model_name: string;
  model_version: string;
  id?: string;
  parameters: { prediction_ids: string[] };
  outputs: OutputTensor[];
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
  /** The label of every class, by index (the classification extension names them). */
  classLabels: string[];
  /** What the client asked for; see requestedOutputs(). */
  outputs: RequestedOutput[];
}

/** Name of the extra BYTES output carrying each row's top label. */
export const PREDICTED_LABEL_OUTPUT = 'predicted_label';

export function buildInferResponse(args: BuildInferResponseArgs): InferResult {
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
    outputs: args.outputs.map((requested) => outputTensor(args, requested)),
  };
}

function outputTensor(args: BuildInferResponseArgs, requested: RequestedOutput): OutputTensor {
  const { batch, numClasses } = args;
  const { name, binary, classification } = requested;
  if (name === PREDICTED_LABEL_OUTPUT) return { name, shape: [batch], datatype: 'BYTES', values: args.labels, binary };
  if (name !== args.outputName) throw new RangeError(`the model has no output named ${name}`);
  if (classification === undefined) {
    return { name, shape: [batch, numClasses], datatype: 'FP32', values: args.probabilities, binary };
  }
  const k = Math.min(classification, numClasses);
  const values: string[] = [];
  for (let row = 0; row < batch; row++) {
    const scores = args.probabilities.subarray(row * numClasses, (row + 1) * numClasses);
    values.push(...topClasses(scores, args.classLabels, k));
  }
  return { name, shape: [batch, k], datatype: 'BYTES', values, binary };
}

/**
 * Classification extension: the k highest scores of one row as "score:index:label", best first
 * (ties: the lower index first). The score is printed as Triton prints it, C++ std::to_string.
 */
export function topClasses(scores: Float32Array, labels: string[], k: number): string[] {
  const order = Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a] || a - b);
  return order.slice(0, k).map((index) => `${cppToString(scores[index])}:${index}:${labels[index]}`);
}

/**
 * std::to_string(float) is printf("%f"): six decimals, exact ties rounded to even. toFixed rounds
 * exact ties away from zero; a float32 is an exact tie at six decimals only when it is an odd
 * multiple of 2^-7 (0.0078125 prints 0.007812), so that case is corrected.
 */
export function cppToString(value: number): string {
  const scaled = Math.abs(value) * 128;
  if (!Number.isInteger(scaled) || scaled % 2 === 0) return value.toFixed(6);
  const down = Math.floor(Math.abs(value) * 1e6); // exact: the tie lies at down + 0.5
  const digits = down % 2 === 0 ? down : down + 1;
  return `${value < 0 ? '-' : ''}${(digits / 1e6).toFixed(6)}`;
}

/** What GET /v2 lists: the protocol extensions this server implements. */
export const OIP_EXTENSIONS = ['binary_tensor_data', 'classification'] as const;

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
