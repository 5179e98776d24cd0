import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { isDatabaseUnavailable, isUnstorableText } from '../infra/database/postgres-errors';
import { DomainError, ErrorKind } from './domain-error';
import { redactUrl } from './log-redaction';
import { INVALID_TEXT_CODE, INVALID_TEXT_MESSAGE } from './storable-text';

const statusByKind: Record<ErrorKind, number> = {
  invalid: HttpStatus.BAD_REQUEST,
  unauthorized: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  payload_too_large: HttpStatus.PAYLOAD_TOO_LARGE,
  unsupported_media_type: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  unprocessable: HttpStatus.UNPROCESSABLE_ENTITY,
  rate_limited: HttpStatus.TOO_MANY_REQUESTS,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
};

export interface ErrorBody {
  status: number;
  code: string;
  message: string;
  details?: unknown;
  errorId?: string;
  retryAfterSeconds?: number;
}

/** Maps any thrown value to a status and a body; unknown errors get an error id, never a stack. */
export function describeError(
  exception: unknown,
  logger: Logger,
  request?: { method?: string; originalUrl?: string },
): ErrorBody {
  if (exception instanceof DomainError) {
    return {
      status: statusByKind[exception.kind],
      code: exception.code,
      message: exception.message,
      details: exception.details,
      retryAfterSeconds: exception.retryAfterSeconds,
    };
  }
  if (exception instanceof HttpException) {
    const response = exception.getResponse();
    const message =
      typeof response === 'object' && response !== null && 'message' in response
        ? (response as { message: unknown }).message
        : exception.message;
    const text = Array.isArray(message) ? message.join('; ') : String(message);
    return { status: exception.getStatus(), code: httpCode(exception.getStatus()), message: text };
  }
  const bodyParserError = describeBodyParserError(exception);
  if (bodyParserError) return bodyParserError;
  if (isDatabaseUnavailable(exception)) {
    logger.warn(
      { err: exception, method: request?.method, url: redactUrl(request?.originalUrl) },
      'database unavailable',
    );
    const message = 'The database is unreachable or restarting; retry shortly';
    return { status: 503, code: 'database_unavailable', message, retryAfterSeconds: 1 };
  }
  if (isUnstorableText(exception)) {
    return { status: HttpStatus.BAD_REQUEST, code: INVALID_TEXT_CODE, message: INVALID_TEXT_MESSAGE };
  }
  const errorId = randomUUID();
  const err = exception instanceof Error ? exception : new Error(String(exception));
  logger.error({ errorId, err, method: request?.method, url: redactUrl(request?.originalUrl) }, 'unhandled error');
  return {
    status: 500,
    code: 'internal_error',
    message: 'Internal error; quote the error id when reporting it',
    errorId,
  };
}

/** Errors thrown by express' body parsers carry a `type` and an HTTP status. */
function describeBodyParserError(exception: unknown): ErrorBody | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const { type, status, message, limit } = exception as {
    type?: unknown;
    status?: unknown;
    message?: unknown;
    limit?: unknown;
  };
  if (typeof type !== 'string' || typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  const messages: Record<string, string> = {
    'entity.too.large': `Request body is larger than the configured limit (MAX_BODY_BYTES = ${String(limit)} bytes)`,
    'entity.parse.failed': `Request body is not valid JSON: ${String(message)}`,
  };
  return { status, code: type.replace(/\./g, '_'), message: messages[type] ?? String(message) };
}

function httpCode(status: number): string {
  return (HttpStatus[status] ?? 'error').toLowerCase();
}

/** The one place errors become HTTP. Open Inference Protocol paths get its `{ "error": "..." }` shape. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const context = host.switchToHttp();
    const request = context.getRequest<Request>();
    const error = describeError(exception, this.logger, request);
    sendError(context.getResponse<Response>(), error, errorPayload(isOipPath(request.path), error));
  }
}

export function isOipPath(path: string): boolean {
  return path.startsWith('/v2/') || path === '/v2';
}

/** The answer's body: `{ error: { code, message, details, errorId } }`, or OIP's `{ error: "..." }`. */
export function errorPayload(oip: boolean, error: ErrorBody): unknown {
  if (oip) return { error: error.errorId ? `${error.message} (error id ${error.errorId})` : error.message };
  const { code, message, details, errorId } = error;
  return { error: { code, message, details, errorId } };
}

export function sendError(response: Response, error: ErrorBody, body: unknown): void {
  if (response.headersSent) return;
  if (error.retryAfterSeconds !== undefined) response.setHeader('Retry-After', String(error.retryAfterSeconds));
  response.status(error.status).json(body);
}
