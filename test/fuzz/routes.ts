import type { NestExpressApplication } from '@nestjs/platform-express';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { declaredRoutes } from '../../src/auth/access-audit';

export interface FuzzRoute {
  method: string;
  /** Express path template, e.g. /v1/models/:name/predict. */
  path: string;
  params: string[];
}

interface RouterLayer {
  route?: { path: unknown; methods: Record<string, boolean> };
}

/**
 * Every route the running app answers, read from express' router: the Nest controllers plus what
 * is mounted beside them (OpenAPI docs), so a route added tomorrow is fuzzed without touching
 * this suite. Catch-all middleware routes (`/{*path}`, every method) are left out.
 */
export function registeredRoutes(app: NestExpressApplication): FuzzRoute[] {
  const express = app.getHttpAdapter().getInstance() as { router?: { stack: RouterLayer[] } };
  const routes: FuzzRoute[] = [];
  for (const layer of express.router?.stack ?? []) {
    const path = layer.route?.path;
    if (typeof path !== 'string' || path.includes('{*')) continue;
    const params = Array.from(path.matchAll(/:(\w+)/g), (m) => m[1]);
    for (const method of Object.keys(layer.route!.methods)) routes.push({ method: method.toUpperCase(), path, params });
  }
  return routes;
}

/** Handlers the Nest application declares, by method: the router must have at least these. */
export function declaredHandlersByMethod(app: NestExpressApplication): Map<string, number> {
  const declared = declaredRoutes(app.get(DiscoveryService), app.get(MetadataScanner), app.get(Reflector));
  const counts = new Map<string, number>();
  for (const route of declared) counts.set(route.method, (counts.get(route.method) ?? 0) + 1);
  return counts;
}

export const routeKey = (route: FuzzRoute) => `${route.method} ${route.path}`;

/** The path with each `:param` replaced by its value (values are inserted as given: encode first). */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/:(\w+)/g, (_m, name: string) => values[name] ?? name);
}
