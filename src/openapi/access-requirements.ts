import type { OpenAPIObject, OperationObject, ResponseObject } from '@nestjs/swagger';
import { errorDescriptions, errorResponse, oipErrorResponse } from './errors';
import { REQUIRED_SCOPE_EXTENSION } from './access-docs';
import { schemaRef } from './schema-registry';

export const SECURITY_SCHEMES = { bearer: 'bearer', apiKey: 'apiKey' } as const;

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** Every operation with its path and method, in document order. */
export function operationsOf(
  document: OpenAPIObject,
): Array<{ path: string; method: string; operation: OperationObject }> {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    HTTP_METHODS.filter((method) => item[method]).map((method) => ({ path, method, operation: item[method]! })),
  );
}

/**
 * Turns each operation's `x-required-scope` into its security requirement, a sentence in its
 * description and the 401/403/429 answers the API key guard gives. Public operations get
 * `security: []`. OpenAPI 3.0 allows scope lists only for oauth2, so the lists stay empty.
 */
export function applyAccessRequirements(document: OpenAPIObject): void {
  for (const { path, operation } of operationsOf(document)) {
    const access = (operation as unknown as Record<string, unknown>)[REQUIRED_SCOPE_EXTENSION];
    if (typeof access !== 'string') continue;
    if (access === 'public') {
      operation.security = [];
      operation.description = sentence(operation.description, 'Public: no API key needed.');
      continue;
    }
    operation.security = [{ [SECURITY_SCHEMES.bearer]: [] }, { [SECURITY_SCHEMES.apiKey]: [] }];
    const also = access === 'admin' ? '' : ' (an `admin` key also qualifies)';
    operation.description = sentence(operation.description, `Required scope: \`${access}\`${also}.`);
    addAuthErrors(operation, path.startsWith('/v2') ? schemaRef(oipErrorResponse) : schemaRef(errorResponse));
  }
}

function addAuthErrors(operation: OperationObject, schema: ReturnType<typeof schemaRef>): void {
  const content = { 'application/json': { schema } };
  const retryAfter = {
    'Retry-After': { description: 'Seconds until the next window', schema: { type: 'integer' as const } },
  };
  const answers: Record<number, ResponseObject> = {
    401: { description: errorDescriptions[401], content },
    403: { description: errorDescriptions[403], content },
    429: { description: errorDescriptions[429], content, headers: retryAfter },
  };
  for (const [status, response] of Object.entries(answers)) operation.responses[status] ??= response;
}

function sentence(description: string | undefined, text: string): string {
  return description ? `${description}\n\n${text}` : text;
}
