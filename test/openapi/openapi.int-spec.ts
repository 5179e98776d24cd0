import type { OpenAPIObject, OperationObject, ResponseObject } from '@nestjs/swagger';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startTestApp, TestApp } from '../support/test-app';
import { expressRoutes, registeredRoutes, RegisteredRoute } from './registered-routes';

const root = resolve(__dirname, '../..');
const methods = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;
const key = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

/** Served by SwaggerModule on the express adapter, not by a controller. */
const documentationRoutes = ['GET /openapi.json', 'GET /docs'];
/** Public operations with no 4xx answer (why redocly's operation-4xx-response is off). */
const without4xx = new Set([
  'GET /health/live',
  'GET /health/ready',
  'GET /v2/health/live',
  'GET /v2/health/ready',
  'GET /',
  'GET /dashboard',
  ...documentationRoutes,
]);

type Operation = OperationObject & { 'x-required-scope'?: string };

function operations(document: OpenAPIObject): Map<string, Operation> {
  const found = new Map<string, Operation>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of methods) if (item[method]) found.set(key(method, path), item[method] as Operation);
  }
  return found;
}

/** What is wrong with the documentation of one registered route; empty when nothing is. */
function problemsOf(route: RegisteredRoute, operation: Operation | undefined): string[] {
  if (!operation) return ['not in the document'];
  const problems: string[] = [];
  if (!route.access) problems.push('handler has no @RequireScope/@Public');
  if (operation['x-required-scope'] !== route.access) {
    problems.push(`x-required-scope ${operation['x-required-scope']} but the handler needs ${route.access}`);
  }
  const expectedSecurity = route.access === 'public' ? [] : [{ bearer: [] }, { apiKey: [] }];
  if (JSON.stringify(operation.security) !== JSON.stringify(expectedSecurity)) problems.push('wrong security');
  const stated = route.access === 'public' ? 'Public: no API key needed.' : `Required scope: \`${route.access}\``;
  if (!operation.description?.includes(stated)) problems.push(`description does not say "${stated}"`);
  if (!operation.summary) problems.push('no summary');
  if (!operation.tags?.length) problems.push('no tag');
  if (!Object.keys(operation.responses).some((status) => /^[23]\d\d$/.test(status))) problems.push('no success');
  return problems;
}

describe('OpenAPI document (GET /openapi.json)', () => {
  let t: TestApp;
  let document: OpenAPIObject;
  let routes: RegisteredRoute[];
  let documented: Map<string, Operation>;

  beforeAll(async () => {
    t = await startTestApp();
    const response = await fetch(`${t.url}/openapi.json`);
    expect(response.status).toBe(200);
    document = (await response.json()) as OpenAPIObject;
    routes = registeredRoutes(t.app);
    documented = operations(document);
  });
  afterAll(() => t?.close());

  it('documents every route Nest registered, with the access its handler declares', () => {
    expect(routes.length).toBeGreaterThan(0);
    const problems = routes.flatMap((route) =>
      problemsOf(route, documented.get(key(route.method, route.path))).map(
        (problem) => `${key(route.method, route.path)} (${route.handler}): ${problem}`,
      ),
    );
    expect(problems).toEqual([]);
  });

  it('documents nothing that is not served', () => {
    const served = new Set([...routes.map((r) => key(r.method, r.path)), ...documentationRoutes]);
    expect([...documented.keys()].filter((operation) => !served.has(operation))).toEqual([]);
  });

  it('finds the same routes as the express router, so none escapes the check above', () => {
    // Swagger UI's own files (/docs/index.html, /docs/swagger-ui-init.js, ...) are not API operations.
    const fromRouter = expressRoutes(t.app)
      .filter((r) => !r.path.startsWith('/docs/'))
      .map((r) => key(r.method, r.path));
    const fromNest = routes.map((r) => key(r.method, r.path));
    expect(new Set(fromRouter)).toEqual(new Set([...fromNest, ...documentationRoutes]));
  });

  it('keeps mutations admin-only except inference and feedback', () => {
    const wrong = routes.filter((route) =>
      route.method === 'get'
        ? route.access === 'infer' || route.access === 'feedback'
        : route.access !== 'admin' && !/\/(predict|infer)$|^\/v1\/feedback$/.test(route.path),
    );
    expect(wrong.map((r) => `${key(r.method, r.path)}: ${r.access}`)).toEqual([]);
  });

  it('documents a 4xx answer everywhere but the probes, docs and dashboard page', () => {
    const lacking = [...documented]
      .filter(([, { responses }]) => !Object.keys(responses).some((status) => /^4\d\d$/.test(status)))
      .map(([operation]) => operation);
    expect(new Set(lacking)).toEqual(without4xx);
  });

  it('documents error answers with the body of their protocol', () => {
    const problems: string[] = [];
    for (const [operation, { responses }] of documented) {
      const body = operation.includes(' /v2') ? 'OipErrorResponse' : 'ErrorResponse';
      for (const status of Object.keys(responses).filter((s) => /^4\d\d$/.test(s))) {
        const schema = (responses[status] as ResponseObject).content?.['application/json']?.schema;
        if (JSON.stringify(schema) !== JSON.stringify({ $ref: `#/components/schemas/${body}` })) {
          problems.push(`${operation} ${status}: not an ${body}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(document.components?.schemas?.[`ErrorResponse`]).toBeDefined();
  });

  it('names Vigil, its version and both ways to send an API key', () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(document.info).toMatchObject({ title: 'Vigil', version });
    expect(document.components?.securitySchemes).toEqual({
      bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      apiKey: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-API-Key' }),
    });
  });

  it('serves browsable docs at /docs', async () => {
    const response = await fetch(`${t.url}/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain('swagger-ui');
  });

  it('passes redocly lint (recommended rules, redocly.yaml) with no errors or warnings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-openapi-'));
    try {
      const file = join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(document, null, 2));
      // Telemetry and the update check are the only network calls redocly makes; both off, it runs offline.
      const lint = spawnSync(
        join(root, 'node_modules/.bin/redocly'),
        ['lint', file, '--config', join(root, 'redocly.yaml'), '--format', 'json'],
        {
          encoding: 'utf8',
          env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
          timeout: 60_000,
        },
      );
      const report = JSON.parse(lint.stdout) as {
        totals: { errors: number; warnings: number };
        problems: Array<{ ruleId: string; message: string; location: Array<{ pointer: string }> }>;
      };
      const problems = report.problems.map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`);
      expect(problems).toEqual([]);
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
      expect(lint.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('OpenAPI document with API keys required (AUTH_MODE=keys)', () => {
  const key = 'docs-reader-key-0123456789';
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { AUTH_MODE: 'keys', API_KEYS: `ops:read:${key}` } });
  });
  afterAll(() => t?.close());

  it('serves /openapi.json and /docs without a key, while the API itself wants one', async () => {
    expect((await fetch(`${t.url}/openapi.json`)).status).toBe(200);
    expect((await fetch(`${t.url}/docs`)).status).toBe(200);
    expect((await fetch(`${t.url}/v1/models`)).status).toBe(401);
    expect((await fetch(`${t.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    expect((await fetch(`${t.url}/v1/models`, { headers: { 'x-api-key': key } })).status).toBe(200);
  });
});
