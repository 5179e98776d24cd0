import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { serviceVersion } from '../config/service-version';
import { REQUIRED_SCOPE_EXTENSION } from './access-docs';
import { applyAccessRequirements, SECURITY_SCHEMES } from './access-requirements';
import { componentSchemas } from './schema-registry';

export const DOCS_PATH = '/docs';
export const OPENAPI_JSON_PATH = '/openapi.json';

const description = `Vigil serves ONNX image classifiers and watches them in production: it logs every prediction
and a histogram of its input, measures drift with KL divergence against a reference, evaluates accuracy
weekly from ground-truth labels, runs champion/challenger A/B tests and sends Standard Webhooks.

**Access.** With \`AUTH_MODE=keys\` every operation that is not public needs an API key, sent as
\`Authorization: Bearer <key>\` or \`X-API-Key: <key>\`. Keys carry scopes: \`infer\`, \`feedback\`, \`read\`
and \`admin\` (which implies the others); each operation states the one it needs, also as \`${REQUIRED_SCOPE_EXTENSION}\`.
With \`AUTH_PUBLIC_READ=true\` read operations need no key; in \`open\` mode none does.

**Errors.** \`/v1\` and the other routes answer errors as \`{"error": {"code", "message", "details"}}\`;
the Open Inference Protocol routes under \`/v2\` as \`{"error": "..."}\`. An unexpected failure is a 500
with an \`errorId\` that is logged with the stack.`;

/** Tags in the order the browsable docs show them. */
const tags: Array<[name: string, description: string]> = [
  ['Models', 'Register ONNX models, list versions, promote and retire them'],
  ['Predict', 'Plain image endpoint: JPEG, PNG or WebP in, top-k labels out'],
  ['Open Inference Protocol v2', 'KServe / Triton / MLServer compatible JSON tensor API'],
  ['Feedback', 'Ground-truth labels for logged predictions'],
  ['Drift', 'KL drift against a reference, per signal; status made for polling'],
  ['Evaluation', 'Weekly and on-demand accuracy from labels and labelled sets'],
  ['Experiments', 'Champion/challenger A/B tests with always-valid decisions'],
  ['Webhooks', 'Endpoints, event catalogue, deliveries and redelivery (Standard Webhooks)'],
  ['API keys', 'Create, list and revoke API keys and their scopes'],
  ['Health', 'Liveness and readiness probes'],
  ['Metrics', 'Prometheus metrics'],
  ['Dashboard', 'The built-in ops dashboard page and its assets'],
  ['Documentation', 'This OpenAPI document and the browsable docs'],
];

/** The OpenAPI 3.0 document of every controller in the application. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Vigil')
    .setVersion(serviceVersion)
    .setDescription(description)
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    .addServer('/', 'This Vigil instance')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'API key',
        description: 'An API key as `Authorization: Bearer <key>`',
      },
      SECURITY_SCHEMES.bearer,
    )
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'An API key in the `X-API-Key` header' },
      SECURITY_SCHEMES.apiKey,
    );
  for (const [name, text] of tags) builder.addTag(name, text);
  const document = SwaggerModule.createDocument(app, builder.build(), {
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}`,
  });
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...componentSchemas() } };
  addDocumentationOperations(document);
  applyAccessRequirements(document);
  return document;
}

/** /docs and /openapi.json are served by SwaggerModule, not by a controller, so they are added here. */
function addDocumentationOperations(document: OpenAPIObject): void {
  const common = { tags: ['Documentation'], [REQUIRED_SCOPE_EXTENSION]: 'public' };
  document.paths[OPENAPI_JSON_PATH] = {
    get: {
      ...common,
      operationId: 'Documentation_openApi',
      summary: 'This OpenAPI document',
      responses: {
        200: {
          description: 'The OpenAPI 3.0 document',
          content: { 'application/json': { schema: { type: 'object', additionalProperties: true } } },
        },
      },
    },
  };
  document.paths[DOCS_PATH] = {
    get: {
      ...common,
      operationId: 'Documentation_browse',
      summary: 'Browsable API docs (Swagger UI)',
      responses: {
        200: { description: 'Swagger UI page', content: { 'text/html': { schema: { type: 'string' } } } },
      },
    },
  };
}
