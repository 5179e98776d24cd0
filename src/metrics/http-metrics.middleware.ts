import { Injectable, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import { MetricsService } from './metrics.service';

/**
 * Counts and times every HTTP request once its response has been sent. Mounted while the module
 * is built, that is before the API adds its body parsers and routes, so the requests they turn
 * away (malformed JSON, 413) are counted too. The worker process has no HTTP adapter.
 */
@Injectable()
export class HttpMetricsMiddleware {
  constructor(
    private readonly metrics: MetricsService,
    @Optional() adapterHost?: HttpAdapterHost,
  ) {
    adapterHost?.httpAdapter?.use((request: Request, response: Response, next: NextFunction) =>
      this.use(request, response, next),
    );
  }

  use(request: Request, response: Response, next: NextFunction): void {
    const started = performance.now();
    response.once('finish', () => {
      const labels = {
        method: request.method,
        route: routeTemplate(request),
        status_code: String(response.statusCode),
      };
      this.metrics.httpRequests.inc(labels);
      this.metrics.httpRequestDuration.observe(labels, (performance.now() - started) / 1000);
    });
    next();
  }
}

/** `/{*path}`, `/*path`, `{/*path}`: how Nest mounts middleware for every route. */
const CATCH_ALL = /^\/?\{?\/?\*[\w$]+\}?$/;

/**
 * The template of the route that answered (`/v1/models/:name/predict`), never the raw path, so
 * model names, ids and probes of random URLs cannot grow the label set. Nest mounts middleware
 * as catch-all routes; one of those last means that no handler matched.
 */
export function routeTemplate(request: Request): string {
  const path: unknown = (request as Request & { route?: { path?: unknown } }).route?.path;
  return typeof path === 'string' && !CATCH_ALL.test(path) ? path : 'unmatched';
}
