import type { INestApplication } from '@nestjs/common';
import { OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { buildOpenApiDocument, DOCS_PATH, OPENAPI_JSON_PATH } from './openapi-document';

/** Serves the document at /openapi.json and Swagger UI at /docs; both need no API key. */
export function setupOpenApi(app: INestApplication): OpenAPIObject {
  // Built at boot, not on first request, so a broken schema fails the start instead of the docs.
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup(DOCS_PATH, app, document, {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    raw: ['json'],
    customSiteTitle: 'Vigil API',
  });
  return document;
}
