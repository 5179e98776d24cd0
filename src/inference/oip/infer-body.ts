import { invalid } from '../../common/domain-error';

/** The header that says a body is a JSON object followed by binary tensors (binary tensor data extension). */
export const INFERENCE_HEADER_CONTENT_LENGTH = 'inference-header-content-length';

export interface BinaryTensors {
  /** Every byte after the JSON header: the tensors back to back, in input order. */
  data: Buffer;
  /** Length of the JSON header before them, for error messages. */
  headerLength: number;
}

export interface InferBody {
  /** The JSON object (the whole body without the header, the first headerLength bytes with it). */
  header: unknown;
  binary?: BinaryTensors;
}

/**
 * Splits an infer body, whatever its Content-Type: all JSON without Inference-Header-Content-Length,
 * else a JSON header of that many bytes and the binary tensors after it. Only the header is
 * JSON-parsed; the tensor bytes are never turned into a string.
 */
export function splitInferBody(body: Buffer, headerLength: string | undefined): InferBody {
  if (headerLength === undefined) return { header: parseJson(body, 'the infer request') };
  const length = /^\d{1,15}$/.test(headerLength.trim()) ? Number(headerLength.trim()) : NaN;
  if (!Number.isSafeInteger(length)) {
    throw invalid(
      'invalid_header_length',
      `Inference-Header-Content-Length is '${headerLength}'; it must be the byte length of the JSON header, a non-negative integer`,
    );
  }
  if (length > body.length) {
    throw invalid(
      'invalid_header_length',
      `Inference-Header-Content-Length is ${length} but the body has only ${body.length} bytes`,
      { headerLength: length, bodyLength: body.length },
    );
  }
  const header = parseJson(body.subarray(0, length), `the ${length}-byte JSON header`);
  return { header, binary: { data: body.subarray(length), headerLength: length } };
}

function parseJson(bytes: Buffer, what: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw invalid('invalid_json', `${what} is not valid JSON: ${reason}`);
  }
}
