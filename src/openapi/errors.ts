import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { z } from 'zod';
import { named, schemaRef } from './schema-registry';

/** The body of every /v1 (and other non-v2) error, written by AllExceptionsFilter. */
export const errorResponse = named(
  'ErrorResponse',
  z.object({
    error: z.object({
      code: z.string().describe('Stable machine-readable code, e.g. validation_failed, model_not_found'),
      message: z.string().describe('What went wrong, naming the field or resource'),
      details: z.record(z.string(), z.unknown()).optional().describe('Structured context, e.g. validation issues'),
      errorId: z.string().optional().describe('Only on 500: quote it when reporting; the stack is logged with it'),
    }),
  }),
);

/** The Open Inference Protocol v2 error body: `{ "error": "..." }`. */
export const oipErrorResponse = named('OipErrorResponse', z.object({ error: z.string() }));

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

export const errorDescriptions: Record<ErrorStatus, string> = {
  400: 'Invalid input; the message names the field and the problem',
  401: 'No API key, or an unknown or revoked one (with `WWW-Authenticate: Bearer`)',
  403: 'The API key lacks the scope this operation needs, or a browser sent a state-changing request from another site (`cross_site_request`)',
  404: 'The model, version or resource does not exist',
  409: 'Conflicts with the current state (already exists, not running, ...)',
  413: 'The body or an image is larger than the configured limit',
  415: 'The content type or image format is not accepted',
  422: 'Well-formed but unusable (e.g. the model file does not match its metadata)',
  429: 'Rate limit of the API key, or of failed authentications from the client address, exceeded; `Retry-After` says when to retry',
  503: 'Temporarily unavailable (queue full, no champion, dependency down); may carry `Retry-After`',
};

/** Error responses of a /v1 operation, with the shared error body. */
export function ApiErrors(...statuses: ErrorStatus[]): MethodDecorator {
  return errorResponses(statuses, schemaRef(errorResponse));
}

/** Error responses of an Open Inference Protocol v2 operation (`{ error }` bodies). */
export function ApiOipErrors(...statuses: ErrorStatus[]): MethodDecorator {
  return errorResponses(statuses, schemaRef(oipErrorResponse));
}

function errorResponses(statuses: ErrorStatus[], schema: ReturnType<typeof schemaRef>): MethodDecorator {
  return applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, description: errorDescriptions[status], schema })),
  );
}
