// Runs in a worker thread (TensorBodyParser's pool): parsing a large infer body here keeps the
// API's event loop free for other requests and probes.
import { transferableSymbol, valueSymbol, move } from 'piscina';
import { DomainError } from '../../common/domain-error';
import { parseInferRequest, splitInferBody, type OipModelInput, type ParsedInferRequest } from '../oip';
import { rowHashes } from './row-hashes';

export interface TensorBodyTask {
  body: Uint8Array;
  /** The Inference-Header-Content-Length request header, when the client sent binary tensors. */
  headerLength?: string;
  model: OipModelInput;
}

/** A DomainError as data: errors thrown in a worker reach the caller without their class. */
export type SerialisedDomainError = Pick<DomainError, 'kind' | 'code' | 'message' | 'details' | 'retryAfterSeconds'>;

/** The parsed request and the sha256 of each of its rows (hashing megabytes is work too). */
export type ParsedTensorBody = ParsedInferRequest & { rowHashes: string[] };

export type TensorBodyReply = { request: ParsedTensorBody } | { error: SerialisedDomainError };

/** Split, validate and decode an infer body into the model's tensor (parseInferRequest), and hash its rows. */
export function parseTensorBody(task: TensorBodyTask): ParsedTensorBody {
  const bytes = Buffer.from(task.body.buffer, task.body.byteOffset, task.body.byteLength);
  const { header, binary } = splitInferBody(bytes, task.headerLength);
  const request = parseInferRequest(header, task.model, binary);
  return { ...request, rowHashes: rowHashes(request.tensor, request.batch) };
}

export default function parseInWorker(task: TensorBodyTask): unknown {
  try {
    const request = parseTensorBody(task);
    // The tensor's memory moves to the caller instead of being copied.
    return move({
      get [transferableSymbol]() {
        return [request.tensor.buffer];
      },
      get [valueSymbol](): TensorBodyReply {
        return { request };
      },
    });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const { kind, code, message, details, retryAfterSeconds } = error;
    return { error: { kind, code, message, details, retryAfterSeconds } } satisfies TensorBodyReply;
  }
}
