import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Access, ACCESS_METADATA } from '../../src/auth/scopes';

export interface RegisteredRoute {
  method: string;
  /** In OpenAPI form: /v1/models/{name}. */
  path: string;
  handler: string;
  /** What the API key guard reads: the handler's access, else its controller's. */
  access: Access | undefined;
}

/** Every handler of every controller Nest knows about, found the way Nest itself finds them. */
export function registeredRoutes(app: NestExpressApplication): RegisteredRoute[] {
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  const scanner = new MetadataScanner();
  const reflector = new Reflector();
  return discovery.getControllers().flatMap(({ metatype, instance }) => {
    if (!metatype || !instance) return [];
    const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
    const controllerPaths = pathsOf(Reflect.getMetadata(PATH_METADATA, metatype));
    return scanner.getAllMethodNames(prototype).flatMap((name) => {
      const handler = prototype[name] as (...args: unknown[]) => unknown;
      const methodPath: unknown = Reflect.getMetadata(PATH_METADATA, handler);
      if (methodPath === undefined) return [];
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod].toLowerCase();
      const access: Access | undefined = reflector.getAllAndOverride(ACCESS_METADATA, [handler, metatype]);
      return controllerPaths.flatMap((base) =>
        pathsOf(methodPath).map((path) => ({
          method,
          path: openApiPath(`${base}/${path}`),
          handler: `${metatype.name}.${name}`,
          access,
        })),
      );
    });
  });
}

/**
 * Method and path of every single-method route on the express router (Nest's handlers and
 * Swagger's). Middleware bound with forRoutes() is registered for every method; it is skipped.
 */
export function expressRoutes(app: NestExpressApplication): Array<{ method: string; path: string }> {
  const express = app.getHttpAdapter().getInstance() as {
    router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> };
  };
  return express.router.stack.flatMap(({ route }) => {
    const methods = Object.keys(route?.methods ?? {});
    return route && methods.length === 1 ? [{ method: methods[0], path: openApiPath(route.path) }] : [];
  });
}

function pathsOf(value: unknown): string[] {
  if (value === undefined) return [''];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

/** `/v1/models/:name/` -> `/v1/models/{name}`. */
export function openApiPath(path: string): string {
  const cleaned = `/${path}`.replace(/\/+/g, '/').replace(/\/$/, '') || '/';
  return cleaned.replace(/:(\w+)/g, '{$1}');
}
