import type { FuzzRequest } from './requests';

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const request = (method: string, path: string, body?: Buffer, route = `${method} ${path}`): FuzzRequest => ({
  method,
  path,
  headers: body ? { 'content-type': 'application/json' } : {},
  body,
  chunked: false,
  kind: 'regression',
  route,
});

/** Requests the fuzzer once answered with a 500, replayed first on every run. */
export const regressions: FuzzRequest[] = [
  // A model registration without any body: the handler read `.metadata` of undefined.
  request('POST', '/v1/models'),
  // A NUL in a path parameter reached a Postgres text comparison (SQLSTATE 22021).
  request(
    'POST',
    '/v1/models/digits/versions/%00/drift/reference',
    json({}),
    'POST /v1/models/:name/versions/:version/drift/reference',
  ),
  // ... and in JSON bodies stored or compared as text.
  request('POST', '/v1/webhooks', json({ url: 'http://127.0.0.1:9/hook', eventTypes: ['*'], description: 'a\u0000b' })),
  request(
    'POST',
    '/v1/models/digits/experiments',
    json({ challengerVersion: 'weak\u0000', trafficShare: 10 }),
    'POST /v1/models/:name/experiments',
  ),
  request('POST', '/v1/models/digits/evaluations', json({ version: '\u0000' }), 'POST /v1/models/:name/evaluations'),
];
