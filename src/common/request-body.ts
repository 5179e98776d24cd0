import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import getRawBody from 'raw-body';
import { DomainError, invalid } from './domain-error';
import { bodyTooLarge } from './upload-limits';

/**
 * Reads a request body that the global body parsers left alone (see api-app.ts), so a handler
 * reads it only after the API key guard has passed. Held to MAX_BODY_BYTES like every parsed body:
 * a declared Content-Length over it is refused before a byte is read; gzip and deflate bodies
 * (Content-Encoding, as tritonclient sends them when asked to compress) are held to it inflated.
 */
export async function readRequestBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const encoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const stream = inflated(request, encoding);
  const length = stream === request ? request.headers['content-length'] : undefined;
  const declared = Number(length);
  if (length !== undefined && Number.isSafeInteger(declared)) {
    if (declared > maxBytes) throw bodyTooLarge(maxBytes);
    return readDeclared(request, declared);
  }
  try {
    return await getRawBody(stream, { length, limit: maxBytes });
  } catch (error) {
    if ((error as { type?: unknown }).type === 'entity.too.large') throw bodyTooLarge(maxBytes);
    if ((error as { code?: unknown }).code?.toString().startsWith('Z_')) {
      throw invalid('invalid_content_encoding', `the body is not valid ${encoding} data: ${(error as Error).message}`);
    }
    throw error;
  }
}

/**
 * A body of known length, copied chunk by chunk into one buffer as it arrives. Collecting the
 * chunks and joining them at the end (raw-body) copies 20 MB in one go on the event loop: 70 ms
 * per body on the bench machine, and eight bodies ending together held it for 600 ms.
 */
function readDeclared(request: IncomingMessage, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const body = Buffer.allocUnsafe(length);
    let received = 0;
    const settle = (error?: Error) => {
      request.off('data', onData).off('end', onEnd).off('close', onClose).off('error', settle);
      if (error) reject(error);
      else resolve(body);
    };
    const onData = (chunk: Buffer) => {
      // HTTP/1.1 framing stops at Content-Length; this only guards the copy.
      if (received + chunk.length > length) return settle(sizeMismatch(received + chunk.length, length));
      received += chunk.copy(body, received);
    };
    const onEnd = () => settle(received === length ? undefined : sizeMismatch(received, length));
    const onClose = () =>
      settle(invalid('request_aborted', 'the client closed the connection before sending the whole body'));
    request.on('data', onData).on('end', onEnd).on('close', onClose).on('error', settle);
  });
}

function sizeMismatch(received: number, declared: number): DomainError {
  return invalid('request_size_mismatch', `the body has ${received} bytes but Content-Length says ${declared}`, {
    received,
    declared,
  });
}

function inflated(request: IncomingMessage, encoding: string): Readable {
  if (encoding === 'identity') return request;
  if (encoding === 'gzip') return request.pipe(createGunzip());
  if (encoding === 'deflate') return request.pipe(createInflate());
  throw new DomainError(
    'unsupported_media_type',
    'unsupported_content_encoding',
    `Content-Encoding '${encoding}' is not supported; send the body as gzip, deflate or identity`,
  );
}

/**
 * Express middleware: an error answered before the request's body was received (401/403/429 from
 * the API key guard, 404, 413 on a declared length) closes the connection. Kept alive, Node would
 * read and discard the rest of the body to reach the next request: an unauthenticated client could
 * still make the server take in every byte of its 20 MB uploads.
 */
export function closeWhenBodyUnread(request: IncomingMessage, response: ServerResponse, next: () => void): void {
  const writeHead = response.writeHead;
  response.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse['writeHead']>) {
    const status = typeof args[0] === 'number' ? args[0] : this.statusCode;
    if (status >= 400 && !request.complete) this.shouldKeepAlive = false;
    return writeHead.apply(this, args);
  } as ServerResponse['writeHead'];
  next();
}
