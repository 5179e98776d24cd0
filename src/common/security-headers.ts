import type { RequestHandler } from 'express';
import helmet from 'helmet';
import { DOCS_PATH } from '../openapi/openapi-document';

type Directives = Record<string, string[]>;

// JSON answers load nothing and belong in no frame.
const api: Directives = {
  'default-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};
// The dashboard: its own scripts, styles and JSON only (no inline code); `data:` is its favicon.
const dashboard: Directives = {
  ...api,
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'form-action': ["'self'"],
};
// Swagger UI as @nestjs/swagger serves it: external scripts, but inline <style> blocks.
const docs: Directives = { ...dashboard, 'style-src': ["'self'", "'unsafe-inline'"] };

function headers(directives: Directives): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives },
    frameguard: { action: 'deny' },
    // HSTS belongs to whatever terminates TLS in front of Vigil; sent over plain HTTP it means nothing.
    strictTransportSecurity: false,
  });
}

/**
 * Headers on every answer (helmet): `X-Content-Type-Options: nosniff`, no `X-Powered-By`, no
 * framing, no referrer, and a Content-Security-Policy per kind of page.
 */
export function securityHeaders(): RequestHandler {
  const byKind = { api: headers(api), dashboard: headers(dashboard), docs: headers(docs) };
  return (req, res, next) => {
    const path = req.path;
    const kind =
      path === '/' || path === '/dashboard' || path.startsWith('/dashboard/')
        ? 'dashboard'
        : path === DOCS_PATH || path.startsWith(`${DOCS_PATH}/`)
          ? 'docs'
          : 'api';
    byKind[kind](req, res, next);
  };
}

/**
 * The headers helmet sets on a JSON answer, computed once: the inference data plane writes them
 * itself on every answer (it runs no Express middleware).
 */
export function apiSecurityHeaders(): Record<string, string> {
  const set: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: unknown) => void (set[name.toLowerCase()] = String(value)),
    removeHeader: () => undefined,
  };
  headers(api)(
    {} as Parameters<RequestHandler>[0],
    recorder as unknown as Parameters<RequestHandler>[1],
    () => undefined,
  );
  return set;
}
